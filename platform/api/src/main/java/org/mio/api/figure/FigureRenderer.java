package org.mio.api.figure;

import java.io.IOException;
import java.io.OutputStream;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Draws {@link Figure}s. A plugin service registered with the property {@link #KIND} (e.g.
 * {@code jfreechart}); the platform uses the installed one to write every figure of a run.
 * Stateless and thread-safe.
 */
@ConsumerType
public interface FigureRenderer {

    /** Service property (String): the renderer's name, e.g. {@code jfreechart}. */
    String KIND = "mio.renderer.kind";

    /**
     * Draws a figure.
     *
     * @param figure what to draw
     * @param format the file format
     * @param out where the encoded file goes; not closed
     * @throws IOException if {@code out} fails
     */
    void render(Figure figure, Format format, OutputStream out) throws IOException;

    /** File formats. */
    enum Format {
        /** Raster, {@code image/png}. */
        PNG("png"),
        /** Vector, {@code image/svg+xml}. */
        SVG("svg");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        /** File extension without the dot. */
        public String extension() {
            return extension;
        }
    }
}
