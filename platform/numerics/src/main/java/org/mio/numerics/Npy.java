package org.mio.numerics;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy {@code .npy} files (format 1.0 written, 1.0–3.0 read): little-endian float32, float64,
 * int32 and int64 arrays in C order, as {@code numpy.save} and {@code numpy.load} use them.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Writes {@code array} to {@code file} atomically (see {@link AtomicFiles}). */
    public static void write(Path file, INDArray array) throws IOException {
        AtomicFiles.write(file, out -> write(out, array));
    }

    /** Writes {@code array} in {@code .npy} format to a stream. */
    public static void write(OutputStream out, INDArray array) throws IOException {
        DataType type = array.dataType();
        String descr = switch (type) {
            case FLOAT -> "<f4";
            case DOUBLE -> "<f8";
            case INT -> "<i4";
            case LONG -> "<i8";
            default ->
                throw new IllegalArgumentException(
                        "npy: data type " + type + " not supported; use FLOAT, DOUBLE, INT or LONG");
        };
        long[] shape = array.shape();
        StringBuilder shapeText = new StringBuilder();
        for (long d : shape) {
            shapeText.append(d).append(", ");
        }
        if (shape.length > 1) {
            shapeText.setLength(shapeText.length() - 2);
        } else if (shape.length == 1) {
            shapeText.setLength(shapeText.length() - 1);
        }
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        int total = MAGIC.length + 2 + 2 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        int len = header.length();
        out.write(len & 0xFF);
        out.write((len >>> 8) & 0xFF);
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));

        INDArray c = array.isView() || array.ordering() != 'c' ? array.dup('c') : array;
        long n = c.length();
        int width = type.width();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            if (buf.remaining() < width) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            switch (type) {
                case FLOAT -> buf.putFloat(c.data().getFloat(i));
                case DOUBLE -> buf.putDouble(c.data().getDouble(i));
                case INT -> buf.putInt(c.data().getInt(i));
                default -> buf.putLong(c.data().getLong(i));
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** Reads an array from a {@code .npy} file. */
    public static INDArray read(Path file) throws IOException {
        long size = Files.size(file);
        if (size == 0) {
            throw new IOException(file + ": empty file, not a .npy array");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), size);
        }
    }

    /**
     * Reads an array in {@code .npy} format.
     *
     * @param source the name used in error messages
     * @throws IOException naming {@code source} if the data is not a supported {@code .npy}
     */
    public static INDArray read(InputStream stream, String source) throws IOException {
        return read(stream, source, -1);
    }

    /**
     * Reads an array of {@code size} bytes in all ({@code -1}: unknown). Every way a file can fail
     * to be a .npy array of a supported type is an {@link IOException} whose message names the
     * source and what is wrong; nothing is allocated for sizes the file cannot hold.
     */
    private static INDArray read(InputStream stream, String source, long size) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = new byte[6];
        try {
            in.readFully(magic);
        } catch (java.io.EOFException e) {
            throw new IOException(source + ": too short for a .npy file", e);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new IOException(source + ": not a .npy file (bad magic)");
            }
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        int headerLen;
        if (major == 1) {
            headerLen = in.readUnsignedByte() | (in.readUnsignedByte() << 8);
        } else if (major == 2 || major == 3) {
            byte[] b = new byte[4];
            in.readFully(b);
            headerLen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw new IOException(source + ": .npy format version " + major + " not supported (1, 2, 3 are)");
        }
        int prefix = major == 1 ? 10 : 12;
        if (headerLen < 0 || headerLen > (1 << 20) || size >= 0 && prefix + (long) headerLen > size) {
            throw new IOException(source + ": .npy header length " + headerLen + " does not fit the file");
        }
        byte[] hb = new byte[headerLen];
        try {
            in.readFully(hb);
        } catch (java.io.EOFException e) {
            throw new IOException(source + ": truncated .npy header", e);
        }
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(source + ": malformed .npy header: " + header.trim());
        }
        String descr = d.group(1);
        DataType type = switch (descr) {
            case "<f4" -> DataType.FLOAT;
            case "<f8" -> DataType.DOUBLE;
            case "<i4" -> DataType.INT;
            case "<i8" -> DataType.LONG;
            default ->
                throw new IOException(source + ": dtype '" + descr
                        + "' not supported; save as float32, float64, int32 or int64 (little-endian)");
        };
        int width = type.width();
        boolean fortran = f.group(1).equals("True");
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                long dim;
                try {
                    dim = Long.parseLong(part.trim());
                } catch (NumberFormatException e) {
                    throw new IOException(source + ": .npy shape (" + s.group(1) + ") is not a tuple of whole numbers");
                }
                if (dim < 0) {
                    throw new IOException(source + ": .npy shape (" + s.group(1) + ") has a negative dimension");
                }
                dims.add(dim);
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long bytes;
        try {
            long n = 1;
            for (long dim : shape) {
                n = Math.multiplyExact(n, dim);
            }
            bytes = Math.multiplyExact(n, width);
        } catch (ArithmeticException e) {
            bytes = Long.MAX_VALUE;
        }
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IOException(source + ": .npy shape (" + s.group(1) + ") is larger than one array can be");
        }
        if (size >= 0 && prefix + headerLen + bytes > size) {
            throw new IOException(source + ": truncated .npy data: the shape (" + s.group(1) + ") needs " + bytes
                    + " bytes, the file holds " + (size - prefix - headerLen));
        }
        byte[] data = new byte[(int) bytes];
        long n = bytes / width;
        try {
            in.readFully(data);
        } catch (java.io.EOFException e) {
            throw new IOException(source + ": truncated .npy data, expected " + data.length + " bytes", e);
        }
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        char order = fortran ? 'f' : 'c';
        INDArray result = switch (type) {
            case FLOAT -> {
                float[] a = new float[(int) n];
                bb.asFloatBuffer().get(a);
                yield Nd4j.create(a, shape, order);
            }
            case DOUBLE -> {
                double[] a = new double[(int) n];
                bb.asDoubleBuffer().get(a);
                yield Nd4j.create(a, shape, order);
            }
            case INT -> {
                int[] a = new int[(int) n];
                bb.asIntBuffer().get(a);
                yield Nd4j.createFromArray(a).reshape(order, shape);
            }
            default -> {
                long[] a = new long[(int) n];
                bb.asLongBuffer().get(a);
                yield Nd4j.createFromArray(a).reshape(order, shape);
            }
        };
        return fortran ? result.dup('c') : result;
    }
}
