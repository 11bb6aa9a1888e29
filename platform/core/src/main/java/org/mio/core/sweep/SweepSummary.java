package org.mio.core.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.mio.api.figure.FigureRenderer;
import org.mio.api.plugin.Rng;
import org.mio.core.config.Json;
import org.mio.core.figures.FigureWriter;
import org.mio.core.figures.RunFigures;
import org.mio.core.figures.Report;
import org.mio.core.figures.SweepFigures;
import org.mio.core.run.RunFolder;
import org.mio.core.stats.Statistics;
import org.mio.numerics.AtomicFiles;

/**
 * The multi-trial summary of a sweep (METHOD.md §6a.7–8): per condition the success and
 * differentiation rates, final metrics (mean, sd, values), mean ± sd curves of the analyses over
 * snapshot epochs, and the onsets t₅₀ of functional vs structural modularity with the fraction of
 * trials where the functional one comes first and an exact sign test; between the first condition
 * and each other one, the difference of means of every final metric with a bootstrap 95 % interval.
 * Writes {@code summary.json}, {@code trials.csv} and {@code curves.csv}.
 */
public final class SweepSummary {
    static final String[] FINAL = {"accuracy", "task_loss", "mi_before", "mi_after", "Q_str", "Q_corr", "D_in",
        "D_out", "D_corr"};
    static final String[] CURVES = {"Q_str", "Q_corr", "D_in", "D_out", "D_corr"};
    static final String[][] ONSETS = {{"Q_corr", "Q_str"}, {"D_corr", "D_out"}};

    private SweepSummary() {}

    /** A trial's files, read back. */
    record Result(SweepRunner.Trial trial, String status, Map<String, Double> finals, List<Map<String, Object>> analysis) {}

    static void write(SweepConfig cfg, List<SweepRunner.Trial> trials, Path out, FigureRenderer renderer,
            PrintStream log) throws IOException {
        Map<String, Map<String, double[][]>> onsetPairs = new LinkedHashMap<>();
        List<Result> results = new ArrayList<>();
        for (SweepRunner.Trial t : trials) {
            results.add(read(t));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sweep", cfg.name());
        summary.put("experiment", cfg.experiment());
        summary.put("seeds", cfg.seeds());
        Map<String, Object> conditions = new LinkedHashMap<>();
        Map<String, Map<String, double[]>> finalsByCondition = new LinkedHashMap<>();
        StringBuilder curvesCsv = new StringBuilder("condition,epoch,metric,mean,sd,n\n");
        for (String c : cfg.conditions().keySet()) {
            List<Result> rs = results.stream().filter(r -> r.trial().condition().equals(c)).toList();
            Map<String, Object> cs = new LinkedHashMap<>();
            List<Result> done = rs.stream().filter(r -> r.status().equals("COMPLETED")).toList();
            cs.put("trials", rs.size());
            cs.put("completed", done.size());
            long success = done.stream().filter(r -> r.finals().getOrDefault("accuracy", Double.NaN) > cfg.successAccuracy()).count();
            long diff = done.stream().filter(r -> r.finals().getOrDefault("accuracy", Double.NaN) > cfg.successAccuracy()
                    && r.finals().getOrDefault("Q_str", Double.NaN) > cfg.differentiationQStr()).count();
            cs.put("successRate", done.isEmpty() ? Double.NaN : (double) success / done.size());
            cs.put("differentiationRate", done.isEmpty() ? Double.NaN : (double) diff / done.size());
            Map<String, double[]> finals = new LinkedHashMap<>();
            Map<String, Object> finalStats = new LinkedHashMap<>();
            for (String m : FINAL) {
                double[] v = done.stream().mapToDouble(r -> r.finals().getOrDefault(m, Double.NaN)).toArray();
                finals.put(m, v);
                finalStats.put(m, Map.of("mean", Statistics.mean(v), "sd", Statistics.sd(v), "values", v));
            }
            finalsByCondition.put(c, finals);
            cs.put("final", finalStats);
            // curves over the snapshot epochs common to the trials
            TreeSet<Integer> epochs = new TreeSet<>();
            done.forEach(r -> r.analysis().forEach(row -> epochs.add(((Number) row.get("epoch")).intValue())));
            Map<String, Object> curves = new LinkedHashMap<>();
            curves.put("epochs", epochs);
            for (String m : CURVES) {
                List<Double> means = new ArrayList<>();
                List<Double> sds = new ArrayList<>();
                for (int e : epochs) {
                    double[] v = done.stream().mapToDouble(r -> valueAt(r, e, m)).toArray();
                    means.add(Statistics.mean(v));
                    sds.add(Statistics.sd(v));
                    curvesCsv.append(c).append(',').append(e).append(',').append(m).append(',')
                            .append(Statistics.mean(v)).append(',').append(Statistics.sd(v)).append(',')
                            .append(java.util.Arrays.stream(v).filter(x -> !Double.isNaN(x)).count()).append('\n');
                }
                curves.put(m, Map.of("mean", means, "sd", sds));
            }
            cs.put("curves", curves);
            Map<String, Object> onsets = new LinkedHashMap<>();
            for (String[] pair : ONSETS) {
                double[] functional = done.stream().mapToDouble(r -> onset(r, pair[0])).toArray();
                double[] structural = done.stream().mapToDouble(r -> onset(r, pair[1])).toArray();
                double[][] both = new double[functional.length][];
                for (int k = 0; k < both.length; k++) {
                    both[k] = new double[] {functional[k], structural[k]};
                }
                onsetPairs.computeIfAbsent(c, k -> new LinkedHashMap<>()).put(pair[0] + "_vs_" + pair[1], both);
                Statistics.SignTest st = Statistics.signTest(functional, structural);
                int defined = st.positive() + st.negative() + (int) countEqualDefined(functional, structural);
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("medianOnset_" + pair[0], Statistics.median(functional));
                o.put("medianOnset_" + pair[1], Statistics.median(structural));
                o.put("fractionFunctionalFirst", defined == 0 ? Double.NaN : (double) st.positive() / defined);
                o.put("signTest", Map.of("functionalFirst", st.positive(), "structuralFirst", st.negative(), "tiesOrUndefined",
                        st.ties(), "pValue", st.pValue()));
                onsets.put(pair[0] + "_vs_" + pair[1], o);
            }
            cs.put("onsets", onsets);
            conditions.put(c, cs);
        }
        summary.put("conditions", conditions);
        List<String> names = new ArrayList<>(cfg.conditions().keySet());
        Map<String, Object> between = new LinkedHashMap<>();
        for (int i = 1; i < names.size(); i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            for (String m : FINAL) {
                Statistics.Interval iv = Statistics.bootstrapMeanDifference(finalsByCondition.get(names.get(0)).get(m),
                        finalsByCondition.get(names.get(i)).get(m), cfg.bootstrapResamples(), 0.95,
                        Rng.derive(0, "sweep", cfg.name(), names.get(i), m));
                d.put(m, Map.of("difference", iv.estimate(), "low95", iv.low(), "high95", iv.high()));
            }
            between.put(names.get(0) + "_minus_" + names.get(i), d);
        }
        summary.put("between", between);
        AtomicFiles.write(out.resolve("summary.json"), Json.canonical(summary).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("curves.csv"), curvesCsv.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder trialsCsv = new StringBuilder("condition,seed,status," + String.join(",", FINAL) + "\n");
        for (Result r : results) {
            trialsCsv.append(r.trial().condition()).append(',').append(r.trial().seed()).append(',').append(r.status());
            for (String m : FINAL) {
                trialsCsv.append(',').append(r.finals().getOrDefault(m, Double.NaN));
            }
            trialsCsv.append('\n');
        }
        AtomicFiles.write(out.resolve("trials.csv"), trialsCsv.toString().getBytes(StandardCharsets.UTF_8));
        for (String c : names) {
            @SuppressWarnings("unchecked")
            Map<String, Object> cs = (Map<String, Object>) conditions.get(c);
            log.printf("%-10s success %.2f  differentiated %.2f  D_corr %.3f  Q_corr %.3f  Q_str %.3f%n", c,
                    (Double) cs.get("successRate"), (Double) cs.get("differentiationRate"),
                    Statistics.mean(finalsByCondition.get(c).get("D_corr")),
                    Statistics.mean(finalsByCondition.get(c).get("Q_corr")),
                    Statistics.mean(finalsByCondition.get(c).get("Q_str")));
        }
        log.println("summary: " + out.resolve("summary.json"));
        if (renderer == null) {
            log.println("sweep figures skipped: no figure renderer is installed");
            return;
        }
        List<SweepFigures.TrialCurves> curves = new ArrayList<>();
        for (Result r : results) {
            if (r.status().equals("COMPLETED")) {
                curves.add(new SweepFigures.TrialCurves(r.trial().condition(), r.analysis()));
            }
        }
        FigureWriter w = new FigureWriter(renderer, out.resolve(RunFigures.FIGURES), log);
        w.writeAll("the sweep", () -> SweepFigures.build(names, curves,
                List.of(List.of("Q_corr", "Q_str"), List.of("D_corr", "D_in", "D_out")), finalsByCondition, onsetPairs));
        Report.sweep(out, summary, w.written(), w.problems());
        log.println("report: " + out.resolve("report.html"));
    }

    private static long countEqualDefined(double[] a, double[] b) {
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Double.isNaN(a[i]) && !Double.isNaN(b[i]) && a[i] == b[i]) {
                n++;
            }
        }
        return n;
    }

    private static double valueAt(Result r, int epoch, String metric) {
        for (Map<String, Object> row : r.analysis()) {
            if (((Number) row.get("epoch")).intValue() == epoch && row.get(metric) instanceof Number n) {
                return n.doubleValue();
            }
        }
        return Double.NaN;
    }

    private static double onset(Result r, String metric) {
        List<Map<String, Object>> rows = r.analysis().stream().filter(row -> row.get(metric) instanceof Number).toList();
        if (rows.isEmpty()) {
            return Double.NaN;
        }
        int[] e = rows.stream().mapToInt(row -> ((Number) row.get("epoch")).intValue()).toArray();
        double[] v = rows.stream().mapToDouble(row -> ((Number) row.get(metric)).doubleValue()).toArray();
        return Statistics.onset50(e, v);
    }

    private static Result read(SweepRunner.Trial t) throws IOException {
        Map<String, Double> finals = new LinkedHashMap<>();
        List<Map<String, Object>> metrics = RunFolder.readRows(t.dir().resolve("metrics.jsonl"));
        if (!metrics.isEmpty()) {
            metrics.get(metrics.size() - 1).forEach((k, v) -> {
                if (v instanceof Number n) {
                    finals.put(k, n.doubleValue());
                }
            });
        }
        List<Map<String, Object>> analysis = RunFolder.readRows(t.dir().resolve("analysis.jsonl"));
        if (!analysis.isEmpty()) {
            analysis.get(analysis.size() - 1).forEach((k, v) -> {
                if (v instanceof Number n && !k.equals("epoch")) {
                    finals.put(k, n.doubleValue());
                }
            });
        }
        return new Result(t, SweepRunner.status(t.dir()), finals, analysis);
    }
}
