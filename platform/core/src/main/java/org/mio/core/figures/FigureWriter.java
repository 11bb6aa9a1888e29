package org.mio.core.figures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mio.api.figure.Figure;
import org.mio.api.figure.FigureRenderer;
import org.mio.numerics.AtomicFiles;

/**
 * Renders figures into a folder as {@code NAME.png} and {@code NAME.svg}, each written atomically.
 * A figure that fails to draw is reported and skipped; the others are still written.
 */
public final class FigureWriter {
    private final FigureRenderer renderer;
    private final Path dir;
    private final PrintStream log;
    private final List<Written> written = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /**
     * One written figure.
     *
     * @param name the file stem
     * @param title the figure's title
     * @param png the PNG file
     * @param svg the SVG file
     */
    public record Written(String name, String title, Path png, Path svg) {}

    /**
     * @param renderer draws the figures
     * @param dir where the files go (created)
     * @param log where problems are reported
     */
    public FigureWriter(FigureRenderer renderer, Path dir, PrintStream log) {
        this.renderer = renderer;
        this.dir = dir;
        this.log = log;
    }

    /** Draws one figure in both formats. */
    public void write(Figure figure) {
        try {
            Path png = dir.resolve(figure.name() + ".png");
            Path svg = dir.resolve(figure.name() + ".svg");
            AtomicFiles.write(png, render(figure, FigureRenderer.Format.PNG));
            AtomicFiles.write(svg, render(figure, FigureRenderer.Format.SVG));
            written.add(new Written(figure.name(), figure.title(), png, svg));
        } catch (IOException | RuntimeException e) {
            String m = "figure " + figure.name() + " was not drawn: " + e;
            problems.add(m);
            log.println("mio: " + m);
        }
    }

    /** Draws every figure a supplier gives; a supplier that throws is reported as a problem. */
    public void writeAll(String source, FigureSource figures) {
        List<Figure> list;
        try {
            list = figures.get();
        } catch (IOException | RuntimeException e) {
            String m = source + " gave no figures: " + e;
            problems.add(m);
            log.println("mio: " + m);
            return;
        }
        list.forEach(this::write);
    }

    /** Records something of the run folder that could not be used, one line, and reports it. */
    public void problem(String m) {
        problems.add(m);
        log.println("mio: " + m);
    }

    /** Figures from a plugin or the run's files. */
    @FunctionalInterface
    public interface FigureSource {
        /** The figures. */
        List<Figure> get() throws IOException;
    }

    /** Figures written so far, in order. */
    public List<Written> written() {
        return List.copyOf(written);
    }

    /** Figures that could not be drawn, one line each. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private byte[] render(Figure f, FigureRenderer.Format format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        renderer.render(f, format, out);
        return out.toByteArray();
    }
}
