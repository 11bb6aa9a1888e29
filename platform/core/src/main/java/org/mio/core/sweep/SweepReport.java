package org.mio.core.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.core.figures.FigureWriter;
import org.mio.core.figures.Report;

/** {@code report.html} of a sweep folder, from its {@link SweepSummary.Summary}. */
final class SweepReport {
    private SweepReport() {}

    static void write(Path dir, SweepSummary.Summary s, List<FigureWriter.Written> figures, List<String> problems)
            throws IOException {
        Report.Page p = new Report.Page("mio sweep " + s.sweep());
        p.h1("Sweep " + s.sweep());
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("experiment", s.experiment());
        facts.put("seeds", s.seeds());
        facts.put("success", s.success().isEmpty() ? "(no criteria)" : String.join(" and ", s.success()));
        facts.put(
                "differentiated",
                s.differentiation().isEmpty()
                        ? "(no criteria)"
                        : "successful and " + String.join(" and ", s.differentiation()));
        facts.put("folder", dir.toAbsolutePath().normalize());
        p.table("Sweep", facts);

        List<List<Object>> rates = new ArrayList<>();
        s.conditions()
                .forEach((c, cs) -> rates.add(List.of(
                        c,
                        cs.trials(),
                        cs.finished(),
                        cs.failed(),
                        cs.unfinished(),
                        cs.successful(),
                        cs.differentiated(),
                        cs.successRate(),
                        cs.differentiationRate())));
        p.grid(
                "Success and differentiation (rates over finished trials; a failed trial counts as a failure)",
                List.of(
                        "condition",
                        "trials",
                        "finished",
                        "failed",
                        "unfinished",
                        "successful",
                        "differentiated",
                        "success rate",
                        "differentiation rate"),
                rates);

        List<String> header = new ArrayList<>(List.of("metric"));
        header.addAll(
                s.conditions().keySet().stream().map(c -> c + " (mean ± sd)").toList());
        header.add("better");
        List<List<Object>> finals = new ArrayList<>();
        for (var m : s.metrics().values()) {
            List<Object> row = new ArrayList<>(List.of(m.name()));
            for (var cs : s.conditions().values()) {
                SweepSummary.Final f = cs.finals().get(m.name());
                row.add(Report.Page.format(f.mean()) + " ± " + Report.Page.format(f.sd()));
            }
            row.add(m.better().name().toLowerCase(java.util.Locale.ROOT));
            finals.add(row);
        }
        p.grid("Final values (completed trials)", header, finals);

        s.between().forEach((pair, d) -> {
            List<List<Object>> rows = new ArrayList<>();
            d.forEach((m, v) -> rows.add(List.of(
                    m,
                    v.difference(),
                    "[" + Report.Page.format(v.low95()) + ", " + Report.Page.format(v.high95()) + "]")));
            p.grid(
                    "Difference of means " + pair.replace("_minus_", " − ") + " (completed trials, bootstrap 95 % "
                            + "interval)",
                    List.of("metric", "difference", "95 % interval"),
                    rows);
        });

        List<List<Object>> onsetRows = new ArrayList<>();
        s.conditions()
                .forEach((c, cs) -> cs.onsets().forEach((key, o) -> {
                    String[] pair = key.split("_vs_");
                    onsetRows.add(List.of(
                            c,
                            pair[0] + " vs " + pair[1],
                            o.trials(),
                            Report.Page.format(o.medianFirst()) + " vs " + Report.Page.format(o.medianThen()),
                            o.fractionFirstEarlier(),
                            o.firstEarlier() + " : " + o.thenEarlier() + " (" + o.tiesOrUndefined()
                                    + " ties or undefined)",
                            o.pValue()));
                }));
        if (!onsetRows.isEmpty()) {
            p.grid(
                    "Onsets t₅₀ (successful trials; first snapshot epoch at half the rise from epoch 0 to the end)",
                    List.of(
                            "condition",
                            "pair",
                            "trials",
                            "median onsets",
                            "fraction first earlier",
                            "first : then earlier",
                            "sign test p"),
                    onsetRows);
        }
        p.figures(dir, figures, problems);
        p.write(dir.resolve("report.html"));
    }
}
