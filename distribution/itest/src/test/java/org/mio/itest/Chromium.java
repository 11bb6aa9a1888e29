package org.mio.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.Assume;

/**
 * Opens a report in headless Chromium: the page's own check must count every figure as decoded,
 * and a screenshot must show them. Chromium is found at {@code $MIO_CHROMIUM}, {@code chromium}
 * or {@code chromium-browser}; without it the check is skipped, unless the system property
 * {@code mio.chromium=required} (set by {@code .ci/run}) makes that a failure.
 */
final class Chromium {
    private Chromium() {}

    static void checkReport(Path report, int figures) throws Exception {
        String exe = find();
        if (exe == null) {
            if ("required".equals(System.getProperty("mio.chromium"))) {
                throw new AssertionError("Chromium is required (mio.chromium=required) but not installed");
            }
            Assume.assumeTrue("Chromium not installed: report rendering not checked", false);
        }
        String url = report.toUri().toString();
        Path profile = Distribution.tempDir("mio-chromium");
        String dom = run(List.of(exe, "--dump-dom", url), profile);
        Matcher m = Pattern.compile("data-figures-loaded=\"(\\d+)/(\\d+)\"").matcher(dom);
        assertTrue("the report's load check did not run: " + dom.substring(0, Math.min(300, dom.length())), m.find());
        assertEquals("figures decoded by Chromium", figures + "/" + figures, m.group(1) + "/" + m.group(2));
        Path shot = report.resolveSibling("report-screenshot.png");
        run(List.of(exe, "--screenshot=" + shot, "--window-size=1280,2400", url), profile);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1280, img.getWidth());
        // the figures' colored lines and cells: count clearly colored (not grey) pixels
        int colored = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    colored++;
                }
            }
        }
        assertTrue("the screenshot shows figures (" + colored + " colored sample pixels)", colored > 2000);
    }

    private static String run(List<String> args, Path profile) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                args.get(0),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--no-first-run",
                "--user-data-dir=" + profile));
        cmd.addAll(args.subList(1, args.size()));
        Path out = Files.createTempFile(profile, "dom", ".out");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(false)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not finish in 120 s: " + cmd);
        }
        assertEquals("Chromium exit status for " + cmd, 0, p.exitValue());
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String find() {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("MIO_CHROMIUM") != null) {
            candidates.add(System.getenv("MIO_CHROMIUM"));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            candidates.add(dir + "/chromium");
            candidates.add(dir + "/chromium-browser");
        }
        return candidates.stream()
                .filter(c -> Files.isExecutable(Path.of(c)))
                .findFirst()
                .orElse(null);
    }
}
