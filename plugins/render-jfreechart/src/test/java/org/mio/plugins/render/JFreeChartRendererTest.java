package org.mio.plugins.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.mio.api.figure.Figure;
import org.mio.api.figure.FigureRenderer.Format;
import org.mio.api.figure.HeatMap;
import org.mio.api.figure.Histogram;
import org.mio.api.figure.Series;
import org.mio.api.figure.Style;
import org.mio.api.figure.XYPlot;
import org.w3c.dom.Document;

class JFreeChartRendererTest {

    private final JFreeChartRenderer renderer = new JFreeChartRenderer();

    private static Figure lineFigure(String color) {
        double[] y = new double[50];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.sin(i / 5.0);
        }
        XYPlot p = XYPlot.of("sine", "step", "value")
                .with(Series.indexed("sin", y, Style.LINE.color(color).width(3)))
                .band(new XYPlot.Band(0, 10, "transient"))
                .markers(List.of(25.0));
        return Figure.grid("line", "A line", 1, List.of(p), 400, 300);
    }

    private static byte[] render(JFreeChartRenderer r, Figure f, Format format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.render(f, format, out);
        return out.toByteArray();
    }

    private static int pixelsNear(BufferedImage img, Color c, int tolerance) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                Color p = new Color(img.getRGB(x, y));
                if (Math.abs(p.getRed() - c.getRed()) <= tolerance
                        && Math.abs(p.getGreen() - c.getGreen()) <= tolerance
                        && Math.abs(p.getBlue() - c.getBlue()) <= tolerance) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void pngHasTheFigureSizeAndDrawsTheSeriesInItsColor() throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(render(renderer, lineFigure("#00c000"), Format.PNG)));
        assertEquals(Math.round(400 * JFreeChartRenderer.PNG_SCALE), img.getWidth());
        assertEquals(Math.round((300 + 40) * JFreeChartRenderer.PNG_SCALE), img.getHeight());
        // a 3-px line over 50 points covers hundreds of pixels; nothing else is pure green
        assertTrue(pixelsNear(img, new Color(0x00c000), 30) > 300, "green line pixels");
        BufferedImage other =
                ImageIO.read(new ByteArrayInputStream(render(renderer, lineFigure("#c00000"), Format.PNG)));
        assertTrue(pixelsNear(other, new Color(0x00c000), 30) < 5, "no green when the line is red");
    }

    @Test
    void svgIsWellFormedWithTitleAndPaths() throws Exception {
        byte[] svg = render(renderer, lineFigure("#00c000"), Format.SVG);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals("400", doc.getDocumentElement().getAttribute("width"));
        assertEquals("340", doc.getDocumentElement().getAttribute("height"));
        String text = new String(svg, StandardCharsets.UTF_8);
        assertTrue(text.contains("A line"), "figure title");
        assertTrue(text.contains("transient"), "band label");
        assertTrue(doc.getElementsByTagName("path").getLength() > 5, "paths");
        assertTrue(
                text.toLowerCase().contains("rgb(0,192,0)")
                        || text.toLowerCase().contains("#00c000"),
                "series color");
    }

    @Test
    void divergingHeatMapIsRedAbove0BlueBelowAndWhiteAt0() throws IOException {
        Charts.ColorScale s = new Charts.ColorScale(-2, 2, true);
        assertEquals(new Color(0xF7F7F7), s.getPaint(0));
        assertEquals(new Color(0xB2182B), s.getPaint(2));
        assertEquals(new Color(0x2166AC), s.getPaint(-2));
        assertEquals(new Color(0xB2182B), s.getPaint(5), "clamped");
        double[][] m = new double[10][10];
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                m[i][j] = i < 5 ? 1 : -1;
            }
        }
        Figure f = Figure.grid(
                "heat", "", 1, List.of(new HeatMap("W", "to", "from", m, List.of(5.0), true, "weight")), 400, 400);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(render(renderer, f, Format.PNG)));
        int red = pixelsNear(img, new Color(0xB2182B), 8);
        int blue = pixelsNear(img, new Color(0x2166AC), 8);
        assertTrue(red > 10_000 && blue > 10_000, "red " + red + ", blue " + blue);
        assertTrue(Math.abs(red - blue) < 0.2 * red, "equal halves: red " + red + ", blue " + blue);
    }

    @Test
    void histogramsAndMarkersRender() throws Exception {
        Histogram h = new Histogram(
                "|W|",
                "|w|",
                List.of(
                        new Histogram.Sample("a", new double[] {0.1, 0.2, 0.2, 0.9}, "#0000ff"),
                        new Histogram.Sample("empty", new double[] {Double.NaN}, null)),
                10,
                null,
                true);
        XYPlot scatter = XYPlot.of("scatter", "x", "y")
                .with(new Series("G1", new double[] {0.1, 0.5}, new double[] {0.2, 0.3}, Style.POINTS))
                .with(new Series(
                        "G2", new double[] {0.4}, new double[] {0.9}, Style.POINTS.marker(Style.Marker.TRIANGLE)))
                .categories(List.of("λ", "control"));
        Figure f = Figure.grid("mixed", "Mixed", 2, List.of(h, scatter), 300, 250);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(render(renderer, f, Format.PNG)));
        assertTrue(pixelsNear(img, new Color(0x0000ff), 60) > 200, "histogram bars");
        byte[] svg = render(renderer, f, Format.SVG);
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg));
    }
}
