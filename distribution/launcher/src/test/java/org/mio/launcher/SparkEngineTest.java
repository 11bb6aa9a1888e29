package org.mio.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkEngineTest {
    @TempDir
    Path home;

    @Test
    void onlyASweepWithAnEngineOtherThanLocalGoesToSpark() {
        assertTrue(SparkEngine.wanted(new String[] {"sweep", "s.json", "--engine", "spark"}));
        assertFalse(SparkEngine.wanted(new String[] {"sweep", "s.json", "--engine", "local"}));
        assertFalse(SparkEngine.wanted(new String[] {"sweep", "s.json", "--out", "x"}));
        assertFalse(SparkEngine.wanted(new String[] {"run", "wm-quick", "--engine", "spark"}));
    }

    @Test
    void theCommandIsSparkSubmitWithThisDistributionsJobAndHome() throws Exception {
        Files.createDirectories(home.resolve("spark"));
        Files.writeString(home.resolve("spark/mio-spark.jar"), "");
        List<String> cmd = SparkEngine.command(
                new String[] {
                    "sweep",
                    "wm-quick-sweep",
                    "--engine",
                    "spark",
                    "--master",
                    "spark://h:7077",
                    "--out",
                    "hdfs://nn/s",
                    "--conf",
                    "spark.executor.memory=4g",
                    "--sync-seconds",
                    "30"
                },
                home,
                "/opt/spark");
        assertEquals(
                List.of(
                        "/opt/spark/bin/spark-submit",
                        "--master",
                        "spark://h:7077",
                        "--class",
                        "org.mio.spark.SweepJob",
                        "--conf",
                        "spark.executor.memory=4g",
                        home.resolve("spark/mio-spark.jar").toString(),
                        "--mio",
                        home.toString(),
                        "--out",
                        "hdfs://nn/s",
                        "--sync-seconds",
                        "30",
                        "wm-quick-sweep"),
                cmd);
    }

    @Test
    void whatIsMissingIsNamed() throws Exception {
        Files.createDirectories(home.resolve("spark"));
        Files.writeString(home.resolve("spark/mio-spark.jar"), "");
        String[] noMaster = {"sweep", "s", "--engine", "spark", "--out", "o"};
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SparkEngine.command(noMaster, home, "/x"))
                .getMessage()
                .startsWith("--engine spark needs --master"));
        String[] noOut = {"sweep", "s", "--engine", "spark", "--master", "local[2]"};
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SparkEngine.command(noOut, home, "/x"))
                .getMessage()
                .startsWith("--engine spark needs --out"));
        String[] ok = {"sweep", "s", "--engine", "spark", "--master", "local[2]", "--out", "o"};
        assertEquals(
                "--engine spark needs spark-submit: set SPARK_HOME or pass --spark-submit PATH",
                assertThrows(IllegalArgumentException.class, () -> SparkEngine.command(ok, home, null))
                        .getMessage());
        String[] other = {"sweep", "s", "--engine", "flink", "--master", "x", "--out", "o"};
        assertEquals(
                "--engine flink: the engines are local and spark",
                assertThrows(IllegalArgumentException.class, () -> SparkEngine.command(other, home, "/x"))
                        .getMessage());
    }
}
