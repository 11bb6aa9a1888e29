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
}
