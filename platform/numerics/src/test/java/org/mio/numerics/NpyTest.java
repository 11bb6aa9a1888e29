package org.mio.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpyTest {

    @Test
    void headerIsWhatNumpyWrites() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        byte[] b = out.toByteArray();
        // numpy.save(np.arange(1,7,dtype='<f4').reshape(2,3)) writes a 128-byte file: 64-byte
        // aligned header of this exact text, then 24 data bytes
        String header = new String(b, 10, 118, StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.trim());
        assertEquals(128 + 24, b.length);
        assertEquals(0, (10 + 118) % 64);
        assertEquals('\n', header.charAt(header.length() - 1));
    }

    @Test
    void roundTripsEveryType(@TempDir Path dir) throws IOException {
        INDArray[] arrays = {
            Nd4j.rand(DataType.FLOAT, 3, 4, 5), Nd4j.rand(DataType.DOUBLE, 7),
            Nd4j.createFromArray(3, 1, 2), Nd4j.createFromArray(5L, -6L).reshape(1, 2),
            Nd4j.rand(DataType.FLOAT, 4, 6)
                            .get(
                                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                    org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4))
        };
        for (int i = 0; i < arrays.length; i++) {
            Path f = dir.resolve("a" + i + ".npy");
            Npy.write(f, arrays[i]);
            INDArray back = Npy.read(f);
            assertEquals(arrays[i].dataType(), back.dataType());
            assertArrayEquals(arrays[i].shape(), back.shape());
            assertEquals(arrays[i], back);
        }
    }

    @Test
    void readsFortranOrder() throws IOException {
        String h = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) (h.length() + 1), 0});
        out.write((h + "\n").getBytes(StandardCharsets.ISO_8859_1));
        var bb = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.putDouble(1).putDouble(3).putDouble(2).putDouble(4); // column-major [[1,2],[3,4]]
        out.write(bb.array());
        INDArray a = Npy.read(new ByteArrayInputStream(out.toByteArray()), "f.npy");
        assertEquals(2.0, a.getDouble(0, 1), 0);
        assertEquals(3.0, a.getDouble(1, 0), 0);
    }

    @Test
    void rejectsUnsupportedDtypeByName() {
        String h = "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }";
        byte[] head = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) (h.length() + 1), 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes((h + "\n").getBytes(StandardCharsets.ISO_8859_1));
        var e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(out.toByteArray()), "z.npy"));
        assertTrue(e.getMessage().startsWith("z.npy: dtype '<c8' not supported"), e.getMessage());
    }

    @Test
    void atomicWriteKeepsOldFileWhenWritingFails(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("keep.npy");
        Npy.write(f, Nd4j.createFromArray(1f, 2f));
        assertThrows(
                IOException.class,
                () -> AtomicFiles.write(f, out -> {
                    out.write(1);
                    throw new IOException("disk full");
                }));
        assertEquals(Nd4j.createFromArray(1f, 2f), Npy.read(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "temporary file left behind");
        }
    }

    /** A .npy file with the given header dictionary and {@code dataBytes} bytes of data. */
    private static byte[] npy(String dict, int dataBytes) {
        String header = dict;
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length + dataBytes];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) (h.length & 0xff), (byte) (h.length >> 8)};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(h, 0, out, 10, h.length);
        return out;
    }

    /** Every way a file can fail to be a .npy array is one IOException naming the file and what is wrong. */
    @Test
    void damagedFilesGiveOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        String[][] cases = {
            {"empty", "", "empty file, not a .npy array"},
            {"short", "\u0093NU", "too short for a .npy file"},
            {"negative", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", "has a negative dimension"},
            {
                "huge",
                "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000), }",
                "is larger than one array can be"
            },
            {"words", "{'descr': '<f4', 'fortran_order': False, 'shape': (two, 3), }", "is not a tuple of whole numbers"
            },
            {"dtype", "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", "dtype '|b1' not supported"},
            {
                "truncated",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000), }",
                "truncated .npy data: the shape (1000, 1000) needs 4000000 bytes, the file holds 8"
            },
        };
        for (String[] c : cases) {
            Path f = dir.resolve(c[0] + ".npy");
            if (c[0].equals("empty") || c[0].equals("short")) {
                Files.write(f, c[1].getBytes(StandardCharsets.ISO_8859_1));
            } else {
                Files.write(f, npy(c[1], 8));
            }
            IOException e = assertThrows(IOException.class, () -> Npy.read(f), c[0]);
            assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c[2]), c[0] + ": " + e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line");
        }
        // a header length beyond the file (version 2 stores it in four bytes)
        byte[] v2 = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
        Path f = dir.resolve("header.npy");
        Files.write(f, v2);
        IOException e = assertThrows(IOException.class, () -> Npy.read(f));
        assertEquals(f + ": .npy header length 2147483647 does not fit the file", e.getMessage());
    }
}
