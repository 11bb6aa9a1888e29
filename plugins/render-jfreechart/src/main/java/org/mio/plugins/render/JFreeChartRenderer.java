package org.mio.plugins.render;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.jfree.chart.JFreeChart;
import org.mio.api.annotations.RendererKind;
import org.mio.api.figure.Figure;
import org.mio.api.figure.FigureRenderer;
import org.mio.api.figure.Plot;
import org.osgi.service.component.annotations.Component;

/**
 * Draws figures with JFreeChart: each plot becomes a chart drawn into its cell of the figure's
 * grid on one {@link Graphics2D}, a {@link BufferedImage} for PNG and Batik's
 * {@link SVGGraphics2D} for SVG, so both formats show the same drawing.
 */
@Component
@RendererKind("jfreechart")
public final class JFreeChartRenderer implements FigureRenderer {

    /** PNG pixels per figure unit: figures stay sharp on high-density screens. */
    static final double PNG_SCALE = 1.5;

    private static final int TITLE_HEIGHT = 40;

    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE[^>]*>\\s*");

    @Override
    public void render(Figure figure, Format format, OutputStream out) throws IOException {
        switch (format) {
            case PNG -> png(figure, out);
            case SVG -> svg(figure, out);
        }
    }

    private static void png(Figure figure, OutputStream out) throws IOException {
        int w = (int) Math.round(figure.width() * PNG_SCALE);
        int h = (int) Math.round(figure.height() * PNG_SCALE);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(PNG_SCALE, PNG_SCALE);
            draw(g, figure);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer in this Java runtime");
        }
    }

    private static void svg(Figure figure, OutputStream out) throws IOException {
        org.w3c.dom.Document doc;
        try {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IOException("no XML document builder in this Java runtime", e);
        }
        SVGGeneratorContext context = SVGGeneratorContext.createDefault(doc);
        context.setComment("mio figure " + figure.name());
        SVGGraphics2D g = new SVGGraphics2D(context, false);
        g.setSVGCanvasSize(new Dimension(figure.width(), figure.height()));
        draw(g, figure);
        org.w3c.dom.Element root = g.getRoot();
        root.setAttribute("viewBox", "0 0 " + figure.width() + " " + figure.height());
        StringWriter text = new StringWriter();
        g.stream(root, text, true, false);
        // no DOCTYPE: it points at a DTD on the network, which SVG 1.1 viewers do not need
        String svg = DOCTYPE.matcher(text.toString()).replaceFirst("");
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write(svg);
        w.flush();
    }

    /** Draws the whole figure in figure units on {@code g}. */
    static void draw(Graphics2D g, Figure figure) {
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, figure.width(), figure.height()));
        int top = 0;
        if (!figure.title().isEmpty()) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            int tw = g.getFontMetrics().stringWidth(figure.title());
            g.drawString(figure.title(), Math.max(8, (figure.width() - tw) / 2), 26);
            top = TITLE_HEIGHT;
        }
        int rows = figure.rows();
        double cw = (double) figure.width() / figure.columns();
        double ch = (double) (figure.height() - top) / rows;
        for (int i = 0; i < figure.plots().size(); i++) {
            Plot p = figure.plots().get(i);
            JFreeChart chart = Charts.chart(p);
            Rectangle2D cell =
                    new Rectangle2D.Double((i % figure.columns()) * cw, top + (i / figure.columns()) * ch, cw, ch);
            chart.draw(g, cell);
        }
    }
}
