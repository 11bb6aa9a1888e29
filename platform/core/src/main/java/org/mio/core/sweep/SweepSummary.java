package org.mio.core.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.mio.api.figure.FigureRenderer;
import org.mio.api.plugin.Metric;
import org.mio.api.plugin.Rng;
import org.mio.core.config.Criteria;
import org.mio.core.config.Criterion;
import org.mio.core.config.Json;
import org.mio.core.figures.FigureWriter;
import org.mio.core.figures.RunFigures;
import org.mio.core.figures.SweepFigures;
import org.mio.core.run.RunFolder;
import org.mio.core.stats.Statistics;
import org.mio.core.train.MetricCatalog;
import org.mio.core.train.TrainerMetrics;
import org.mio.numerics.AtomicFiles;

/**
 * The multi-trial summary of a sweep (METHOD.md §6a.7–8, §6b), for any task and analyzers: the
 * metrics, which of them are curves, and how they are drawn together come from the plugins'
 * {@link Metric} descriptions; success and differentiation from the {@link Criteria} of the
 * experiment or the sweep file; onset comparisons from the sweep file.
 *
 * <p>Which trials each number uses, as the reference computes them:
 * <ul>
 *   <li>rates: over the <em>finished</em> trials (completed or failed); a failed or diverged trial
 *       counts as neither successful nor differentiated; unfinished (aborted, never run) trials
 *       are counted apart and left out;
 *   <li>final values and the between-condition bootstrap intervals: over the completed trials;
 *   <li>mean curves: twice, over all finished trials (NaN-aware per epoch, so a failed trial
 *       counts up to its last snapshot) and over the successful-and-differentiated ones
 *       (analyze_multiple_run.py:202-212);
 *   <li>t₅₀ onsets ({@link Statistics#onset50}): over the successful trials.
 * </ul>
 * Writes {@code summary.json}, {@code trials.csv}, {@code curves.csv}, figures and
 * {@code report.html}.
 */
public final class SweepSummary {
    static final String COMPLETED = "COMPLETED";
    static final String FAILED = "FAILED";

    private SweepSummary() {}

    /**
     * The summary, as written to {@code summary.json}.
     *
     * @param sweep the sweep's name
     * @param experiment its experiment
     * @param seeds its seeds
     * @param success the success criteria, e.g. {@code accuracy > 0.9}
     * @param differentiation the differentiation criteria, e.g. {@code Q_str > 0.1}
     * @param metrics every summarized metric with its description
     * @param conditions per condition, in the sweep's order
     * @param between the first condition minus each other one: per metric the difference of means
     */
    public record Summary(
            String sweep,
            String experiment,
            List<Long> seeds,
            List<String> success,
            List<String> differentiation,
            Map<String, Metric> metrics,
            Map<String, Condition> conditions,
            Map<String, Map<String, Difference>> between) {}

    /**
     * One condition.
     *
     * @param trials all its trials
     * @param finished completed or failed
     * @param completed ran every epoch
     * @param failed ended by NaN, divergence or an error
     * @param unfinished aborted or not run yet; left out of every number
     * @param successful finished trials meeting the success criteria
     * @param differentiated successful trials also meeting the differentiation criteria
     * @param successRate successful / finished; NaN without success criteria or finished trials
     * @param differentiationRate differentiated / finished; NaN without differentiation criteria
     * @param finals per metric, over the completed trials
     * @param curves {@code all} (finished trials) and {@code selected} (successful and differentiated)
     * @param onsets per onset pair, over the successful trials
     */
    public record Condition(
            int trials,
            int finished,
            int completed,
            int failed,
            int unfinished,
            int successful,
            int differentiated,
            double successRate,
            double differentiationRate,
            Map<String, Final> finals,
            Map<String, CurveSet> curves,
            Map<String, Onsets> onsets) {}

    /**
     * A metric's final values.
     *
     * @param mean mean of the defined values
     * @param sd sample standard deviation
     * @param n defined values
     * @param values per completed trial, in seed order (NaN where undefined)
     */
    public record Final(double mean, double sd, int n, double[] values) {}

    /**
     * Mean curves over a subset of trials.
     *
     * @param trials which trials, in words
     * @param n how many
     * @param epochs the snapshot epochs of any of them
     * @param metrics per curve metric: mean, sd and count per epoch
     */
    public record CurveSet(String trials, int n, List<Integer> epochs, Map<String, Curve> metrics) {}

    /**
     * One mean curve.
     *
     * @param mean per epoch
     * @param sd per epoch
     * @param n trials with a value per epoch
     */
    public record Curve(List<Double> mean, List<Double> sd, List<Integer> n) {}

    /**
     * Onsets of two metrics compared trial by trial.
     *
     * @param trials the successful trials compared
     * @param medianFirst median t₅₀ of the metric expected first
     * @param medianThen median t₅₀ of the metric expected to follow
     * @param firstEarlier trials where it did come first
     * @param thenEarlier trials where it came second
     * @param tiesOrUndefined equal onsets, or a metric that did not rise
     * @param fractionFirstEarlier firstEarlier / (firstEarlier + thenEarlier + equal defined onsets)
     * @param pValue exact two-sided sign test
     * @param perTrial each successful trial's two onsets
     */
    public record Onsets(
            int trials,
            double medianFirst,
            double medianThen,
            int firstEarlier,
            int thenEarlier,
            int tiesOrUndefined,
            double fractionFirstEarlier,
            double pValue,
            List<double[]> perTrial) {}

    /**
     * A difference of means with its bootstrap interval.
     *
     * @param difference mean(first condition) − mean(other)
     * @param low95 2.5 % percentile
     * @param high95 97.5 % percentile
     */
    public record Difference(double difference, double low95, double high95) {}

    /** A trial's files, read back, and its verdict. */
    record Result(
            SweepRunner.Trial trial,
            String status,
            Map<String, Double> finals,
            List<Map<String, Object>> analysis,
            Criteria.Verdict verdict) {
        boolean completed() {
            return status.equals(COMPLETED);
        }

        boolean finished() {
            return completed() || status.equals(FAILED);
        }

        boolean successful() {
            return finished() && (verdict.successful() == null ? completed() : verdict.successful());
        }

        boolean selected() {
            return successful() && verdict.differentiated() != Boolean.FALSE;
        }
    }

    /**
     * Summarizes the trials of {@code out}.
     *
     * @param catalog the metrics of the sweep's experiment
     * @param criteria the criteria in force
     */
    static Summary write(
            SweepConfig cfg,
            MetricCatalog catalog,
            Criteria criteria,
            List<SweepRunner.Trial> trials,
            Path out,
            FigureRenderer renderer,
            PrintStream log)
            throws IOException {
        List<Result> results = new ArrayList<>();
        Set<String> epochColumns = new LinkedHashSet<>();
        Set<String> snapshotColumns = new LinkedHashSet<>();
        for (SweepRunner.Trial t : trials) {
            results.add(read(t, criteria, epochColumns, snapshotColumns));
        }
        MetricCatalog all = catalog.withColumns(epochColumns, snapshotColumns);
        List<String> names = all.all().stream().map(Metric::name).toList();
        List<String> curveNames = all.curves().stream().map(Metric::name).toList();
        String selectedBy = selectedBy(criteria);

        Map<String, Condition> conditions = new LinkedHashMap<>();
        StringBuilder curvesCsv = new StringBuilder("condition,trials,epoch,metric,mean,sd,n\n");
        for (String c : cfg.conditions().keySet()) {
            List<Result> rs = results.stream()
                    .filter(r -> r.trial().condition().equals(c))
                    .toList();
            List<Result> finished = rs.stream().filter(Result::finished).toList();
            List<Result> completed = rs.stream().filter(Result::completed).toList();
            List<Result> successful =
                    finished.stream().filter(Result::successful).toList();
            List<Result> selected = finished.stream().filter(Result::selected).toList();
            int nFinished = finished.size();
            double successRate = criteria.success().isEmpty() || nFinished == 0
                    ? Double.NaN
                    : (double) successful.size() / nFinished;
            double differentiationRate = criteria.differentiation().isEmpty() || nFinished == 0
                    ? Double.NaN
                    : (double) selected.size() / nFinished;
            Map<String, Final> finals = new LinkedHashMap<>();
            for (String m : names) {
                double[] v = completed.stream()
                        .mapToDouble(r -> r.finals().getOrDefault(m, Double.NaN))
                        .toArray();
                finals.put(
                        m,
                        new Final(
                                Statistics.mean(v),
                                Statistics.sd(v),
                                (int) Arrays.stream(v)
                                        .filter(x -> !Double.isNaN(x))
                                        .count(),
                                v));
            }
            Map<String, CurveSet> curves = new LinkedHashMap<>();
            curves.put("all", curves("finished trials", finished, curveNames, c, "all", curvesCsv));
            curves.put("selected", curves(selectedBy, selected, curveNames, c, "selected", curvesCsv));
            Map<String, Onsets> onsets = new LinkedHashMap<>();
            for (SweepConfig.Onset pair : cfg.onsets()) {
                onsets.put(pair.key(), onsets(successful, pair));
            }
            conditions.put(
                    c,
                    new Condition(
                            rs.size(),
                            nFinished,
                            completed.size(),
                            (int) finished.stream().filter(r -> !r.completed()).count(),
                            rs.size() - nFinished,
                            successful.size(),
                            selected.size(),
                            successRate,
                            differentiationRate,
                            finals,
                            curves,
                            onsets));
        }
        List<String> order = new ArrayList<>(cfg.conditions().keySet());
        Map<String, Map<String, Difference>> between = new LinkedHashMap<>();
        for (int i = 1; i < order.size(); i++) {
            Map<String, Difference> d = new LinkedHashMap<>();
            for (String m : names) {
                Statistics.Interval iv = Statistics.bootstrapMeanDifference(
                        conditions.get(order.get(0)).finals().get(m).values(),
                        conditions.get(order.get(i)).finals().get(m).values(),
                        cfg.bootstrapResamples(),
                        0.95,
                        Rng.derive(0, "sweep", cfg.name(), order.get(i), m));
                d.put(m, new Difference(iv.estimate(), iv.low(), iv.high()));
            }
            between.put(order.get(0) + "_minus_" + order.get(i), d);
        }
        Map<String, Metric> described = new LinkedHashMap<>();
        all.all().forEach(m -> described.put(m.name(), m));
        Summary summary = new Summary(
                cfg.name(),
                cfg.experiment(),
                cfg.seeds(),
                criteria.success().stream().map(Criterion::toString).toList(),
                criteria.differentiation().stream().map(Criterion::toString).toList(),
                described,
                conditions,
                between);

        AtomicFiles.write(out.resolve("summary.json"), Json.canonical(summary).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("curves.csv"), curvesCsv.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("trials.csv"), trialsCsv(results, names).getBytes(StandardCharsets.UTF_8));
        logConditions(summary, criteria, cfg, log);
        log.println("summary: " + out.resolve("summary.json"));
        if (renderer == null) {
            log.println("sweep figures skipped: no figure renderer is installed");
            return summary;
        }
        List<SweepFigures.TrialCurves> trialCurves = new ArrayList<>();
        for (Result r : results) {
            if (r.finished()) {
                trialCurves.add(new SweepFigures.TrialCurves(r.trial().condition(), r.selected(), r.analysis()));
            }
        }
        Map<String, Map<String, double[]>> finalValues = new LinkedHashMap<>();
        Map<String, Map<String, List<double[]>>> onsetValues = new LinkedHashMap<>();
        conditions.forEach((c, cs) -> {
            Map<String, double[]> f = new LinkedHashMap<>();
            cs.finals().forEach((m, v) -> f.put(m, v.values()));
            finalValues.put(c, f);
            Map<String, List<double[]>> o = new LinkedHashMap<>();
            cs.onsets().forEach((k, v) -> o.put(k, v.perTrial()));
            onsetValues.put(c, o);
        });
        FigureWriter w = new FigureWriter(renderer, out.resolve(RunFigures.FIGURES), log);
        w.writeAll(
                "the sweep",
                () -> SweepFigures.build(
                        order,
                        trialCurves,
                        panels(all.curves()),
                        selectedBy,
                        finalValues,
                        cfg.onsets().stream()
                                .map(o -> List.of(o.first(), o.then()))
                                .toList(),
                        onsetValues));
        SweepReport.write(out, summary, w.written(), w.problems());
        log.println("report: " + out.resolve("report.html"));
        return summary;
    }

    /** Curve metrics grouped by their panel, in order of first appearance. */
    static List<List<String>> panels(List<Metric> curves) {
        Map<String, List<String>> byPanel = new LinkedHashMap<>();
        for (Metric m : curves) {
            String key = m.panel().isEmpty() ? "metric:" + m.name() : m.panel();
            byPanel.computeIfAbsent(key, k -> new ArrayList<>()).add(m.name());
        }
        return List.copyOf(byPanel.values());
    }

    private static String selectedBy(Criteria criteria) {
        List<String> rules = new ArrayList<>();
        criteria.success().forEach(c -> rules.add(c.toString()));
        criteria.differentiation().forEach(c -> rules.add(c.toString()));
        return rules.isEmpty()
                ? "completed trials (no criteria)"
                : "successful and differentiated trials (" + String.join(", ", rules) + ")";
    }

    private static CurveSet curves(
            String description,
            List<Result> rs,
            List<String> metrics,
            String condition,
            String subset,
            StringBuilder csv) {
        TreeSet<Integer> epochs = new TreeSet<>();
        rs.forEach(r -> r.analysis().forEach(row -> epochs.add(epoch(row))));
        Map<String, Curve> out = new LinkedHashMap<>();
        for (String m : metrics) {
            List<Double> means = new ArrayList<>();
            List<Double> sds = new ArrayList<>();
            List<Integer> ns = new ArrayList<>();
            for (int e : epochs) {
                double[] v = rs.stream().mapToDouble(r -> valueAt(r, e, m)).toArray();
                int n = (int) Arrays.stream(v).filter(x -> !Double.isNaN(x)).count();
                means.add(Statistics.mean(v));
                sds.add(Statistics.sd(v));
                ns.add(n);
                csv.append(condition)
                        .append(',')
                        .append(subset)
                        .append(',')
                        .append(e)
                        .append(',')
                        .append(m)
                        .append(',')
                        .append(Statistics.mean(v))
                        .append(',')
                        .append(Statistics.sd(v))
                        .append(',')
                        .append(n)
                        .append('\n');
            }
            out.put(m, new Curve(means, sds, ns));
        }
        return new CurveSet(description, rs.size(), List.copyOf(epochs), out);
    }

    private static Onsets onsets(List<Result> successful, SweepConfig.Onset pair) {
        double[] first =
                successful.stream().mapToDouble(r -> onset(r, pair.first())).toArray();
        double[] then =
                successful.stream().mapToDouble(r -> onset(r, pair.then())).toArray();
        Statistics.SignTest st = Statistics.signTest(first, then);
        int equalDefined = 0;
        List<double[]> perTrial = new ArrayList<>();
        for (int k = 0; k < first.length; k++) {
            perTrial.add(new double[] {first[k], then[k]});
            if (!Double.isNaN(first[k]) && !Double.isNaN(then[k]) && first[k] == then[k]) {
                equalDefined++;
            }
        }
        int defined = st.positive() + st.negative() + equalDefined;
        return new Onsets(
                successful.size(),
                Statistics.median(first),
                Statistics.median(then),
                st.positive(),
                st.negative(),
                st.ties(),
                defined == 0 ? Double.NaN : (double) st.positive() / defined,
                st.pValue(),
                perTrial);
    }

    private static String trialsCsv(List<Result> results, List<String> names) {
        StringBuilder csv =
                new StringBuilder("condition,seed,status,successful,differentiated," + String.join(",", names) + "\n");
        for (Result r : results) {
            csv.append(r.trial().condition())
                    .append(',')
                    .append(r.trial().seed())
                    .append(',')
                    .append(r.status())
                    .append(',')
                    .append(r.finished() ? r.successful() : "")
                    .append(',')
                    .append(r.finished() && r.verdict().differentiated() != null ? r.selected() : "");
            for (String m : names) {
                csv.append(',').append(r.finals().getOrDefault(m, Double.NaN));
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /** One line per condition: rates, then the means of the metrics the criteria and onsets name. */
    private static void logConditions(Summary s, Criteria criteria, SweepConfig cfg, PrintStream log) {
        Set<String> shown = new LinkedHashSet<>(criteria.metrics());
        cfg.onsets().forEach(o -> {
            shown.add(o.first());
            shown.add(o.then());
        });
        s.conditions().forEach((c, cs) -> {
            StringBuilder line =
                    new StringBuilder(String.format("%-10s %d/%d finished", c, cs.finished(), cs.trials()));
            if (!criteria.success().isEmpty()) {
                line.append(String.format("  success %.2f", cs.successRate()));
            }
            if (!criteria.differentiation().isEmpty()) {
                line.append(String.format("  differentiated %.2f", cs.differentiationRate()));
            }
            for (String m : shown) {
                Final f = cs.finals().get(m);
                if (f != null) {
                    line.append(String.format("  %s %.3f", m, f.mean()));
                }
            }
            log.println(line);
        });
    }

    private static int epoch(Map<String, Object> row) {
        return ((Number) row.get(TrainerMetrics.EPOCH)).intValue();
    }

    private static double valueAt(Result r, int epoch, String metric) {
        for (Map<String, Object> row : r.analysis()) {
            if (epoch(row) == epoch && row.get(metric) instanceof Number n) {
                return n.doubleValue();
            }
        }
        return Double.NaN;
    }

    private static double onset(Result r, String metric) {
        Predicate<Map<String, Object>> has = row -> row.get(metric) instanceof Number;
        List<Map<String, Object>> rows = r.analysis().stream().filter(has).toList();
        if (rows.isEmpty()) {
            return Double.NaN;
        }
        int[] e = rows.stream().mapToInt(SweepSummary::epoch).toArray();
        double[] v = rows.stream()
                .mapToDouble(row -> ((Number) row.get(metric)).doubleValue())
                .toArray();
        return Statistics.onset50(e, v);
    }

    private static Result read(
            SweepRunner.Trial t, Criteria criteria, Set<String> epochColumns, Set<String> snapshotColumns)
            throws IOException {
        List<Map<String, Object>> metrics = RunFolder.readRows(t.dir().resolve(RunFolder.METRICS));
        List<Map<String, Object>> analysis = RunFolder.readRows(t.dir().resolve(RunFolder.ANALYSIS));
        Map<String, Object> lastMetrics = metrics.isEmpty() ? null : metrics.get(metrics.size() - 1);
        Map<String, Object> lastAnalysis = analysis.isEmpty() ? null : analysis.get(analysis.size() - 1);
        Map<String, Double> finals = MetricCatalog.finals(lastMetrics, lastAnalysis);
        if (lastMetrics != null) {
            lastMetrics.keySet().stream().filter(finals::containsKey).forEach(epochColumns::add);
        }
        if (lastAnalysis != null) {
            lastAnalysis.keySet().stream().filter(finals::containsKey).forEach(snapshotColumns::add);
        }
        String status = SweepRunner.status(t.dir());
        return new Result(t, status, finals, analysis, criteria.judge(status.equals(COMPLETED), finals));
    }
}
