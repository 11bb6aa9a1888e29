package org.mio.core.figures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mio.core.config.Json;
import org.mio.numerics.AtomicFiles;

/**
 * {@code report.html}: one self-contained page (figures embedded as PNG data, no scripts or styles
 * from elsewhere) with the key numbers and every figure, which a browser opens from the disk.
 */
public final class Report {

    private Report() {}

    /** Writes the report of a run folder. */
    @SuppressWarnings("unchecked")
    static void run(
            Path dir,
            List<Map<String, Object>> metrics,
            List<Map<String, Object>> analysis,
            List<FigureWriter.Written> figures,
            List<String> problems)
            throws IOException {
        Map<String, Object> prov = readJson(dir.resolve("provenance.json"));
        Map<String, Object> exp = (Map<String, Object>) prov.getOrDefault("experiment", Map.of());
        Map<String, Object> config = readJson(dir.resolve("experiment.json"));
        Map<String, Object> training = (Map<String, Object>) config.getOrDefault("training", Map.of());
        String name = String.valueOf(exp.getOrDefault("name", dir.getFileName().toString()));
        Page p = new Page("mio run " + name);
        p.h1("Run " + name);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("status", prov.getOrDefault("status", "unknown"));
        facts.put("message", prov.getOrDefault("message", ""));
        facts.put("seed", exp.getOrDefault("seed", ""));
        facts.put(
                "epochs",
                (metrics.isEmpty() ? 0 : metrics.get(metrics.size() - 1).get("epoch")) + " of "
                        + training.getOrDefault("epochs", "?"));
        facts.put("λ (MI weight)", training.getOrDefault("lambdaMi", ""));
        facts.put("folder", dir.toAbsolutePath().normalize());
        p.table("Run", facts);
        if (!metrics.isEmpty()) {
            p.table(
                    "Final metrics (epoch " + metrics.get(metrics.size() - 1).get("epoch") + ")",
                    metrics.get(metrics.size() - 1));
        }
        if (!analysis.isEmpty()) {
            p.table(
                    "Final analysis (snapshot epoch "
                            + analysis.get(analysis.size() - 1).get("epoch") + ")",
                    analysis.get(analysis.size() - 1));
        }
        p.figures(dir, figures, problems);
        p.details("Experiment (experiment.json)", Json.canonical(config));
        p.write(dir.resolve("report.html"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        return Json.MAPPER.readValue(file.toFile(), LinkedHashMap.class);
    }

    /** A report page under construction: headings, tables and the figures, as one self-contained HTML file. */
    public static final class Page {
        private static final String STYLE = String.join(
                "\n",
                "body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;margin:2em auto;max-width:1200px;"
                        + "padding:0 1em;color:#222}",
                "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}",
                "table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .8em;border-bottom:1px solid #eee;"
                        + "text-align:left;font-variant-numeric:tabular-nums}",
                "figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}",
                "figcaption{color:#555;font-size:.9em}.problem{color:#a00}pre{background:#f6f6f6;padding:1em;"
                        + "overflow:auto;font-size:.85em}");
        private final StringBuilder html = new StringBuilder();

        public Page(String title) {
            html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                    .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                    .append("<title>")
                    .append(esc(title))
                    .append("</title><style>")
                    .append(STYLE)
                    .append("</style></head>\n<body>\n");
        }

        public void h1(String text) {
            html.append("<h1>").append(esc(text)).append("</h1>\n");
        }

        public void h2(String text) {
            html.append("<h2>").append(esc(text)).append("</h2>\n");
        }

        public void paragraph(String text) {
            html.append("<p>").append(esc(text)).append("</p>\n");
        }

        public void table(String title, Map<String, ?> rows) {
            h2(title);
            html.append("<table>\n");
            rows.forEach((k, v) -> html.append("<tr><th>")
                    .append(esc(k))
                    .append("</th><td>")
                    .append(esc(format(v)))
                    .append("</td></tr>\n"));
            html.append("</table>\n");
        }

        public void grid(String title, List<String> header, List<List<Object>> rows) {
            h2(title);
            html.append("<table>\n<tr>");
            header.forEach(h -> html.append("<th>").append(esc(h)).append("</th>"));
            html.append("</tr>\n");
            for (List<Object> r : rows) {
                html.append("<tr>");
                r.forEach(v -> html.append("<td>").append(esc(format(v))).append("</td>"));
                html.append("</tr>\n");
            }
            html.append("</table>\n");
        }

        public void figures(Path dir, List<FigureWriter.Written> figures, List<String> problems) throws IOException {
            h2("Figures");
            if (figures.isEmpty()) {
                paragraph("No figures yet.");
            }
            for (FigureWriter.Written f : figures) {
                String png = Base64.getEncoder().encodeToString(Files.readAllBytes(f.png()));
                String rel = dir.relativize(f.svg()).toString().replace('\\', '/');
                String relPng = dir.relativize(f.png()).toString().replace('\\', '/');
                html.append("<figure id=\"")
                        .append(esc(f.name()))
                        .append("\"><img alt=\"")
                        .append(esc(f.title()))
                        .append("\" src=\"data:image/png;base64,")
                        .append(png)
                        .append("\"><figcaption>")
                        .append(esc(f.title().isEmpty() ? f.name() : f.title()))
                        .append(" — <a href=\"")
                        .append(esc(rel))
                        .append("\">SVG</a> · <a href=\"")
                        .append(esc(relPng))
                        .append("\">PNG</a></figcaption></figure>\n");
            }
            for (String m : problems) {
                html.append("<p class=\"problem\">").append(esc(m)).append("</p>\n");
            }
        }

        public void details(String summary, String pre) {
            html.append("<details><summary>")
                    .append(esc(summary))
                    .append("</summary><pre>")
                    .append(esc(pre))
                    .append("</pre></details>\n");
        }

        public void write(Path file) throws IOException {
            // records for a headless browser check how many figures decoded (docs/figures.md)
            html.append("<script>addEventListener('load',function(){var i=[].slice.call(document.images);")
                    .append("document.body.setAttribute('data-figures-loaded',i.filter(function(x){")
                    .append("return x.complete&&x.naturalWidth>0}).length+'/'+i.length)})</script>\n");
            html.append("</body></html>\n");
            AtomicFiles.write(file, html.toString().getBytes(StandardCharsets.UTF_8));
        }

        public static String format(Object v) {
            if (v instanceof Double d) {
                if (d == Math.rint(d) && Math.abs(d) < 1e6) {
                    return Long.toString(d.longValue());
                }
                return Double.isNaN(d)
                        ? "–"
                        : Math.abs(d) >= 1e4 || (Math.abs(d) < 1e-3 && d != 0)
                                ? String.format("%.3e", d)
                                : String.format("%.4f", d);
            }
            if (v instanceof Float f) {
                return format(f.doubleValue());
            }
            return String.valueOf(v);
        }

        public static String esc(String s) {
            return s.replace("&", "&amp;")
                    .replace("<", "&lt;")
                    .replace(">", "&gt;")
                    .replace("\"", "&quot;");
        }
    }
}
