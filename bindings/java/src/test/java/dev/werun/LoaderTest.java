package dev.werun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader, each case in a child JVM: its lookup order and its failure messages. */
class LoaderTest {
    static final String CLASSES = Paths.get("target/classes").toAbsolutePath().toString();
    static final String TEST_CLASSES = Paths.get("target/test-classes").toAbsolutePath().toString();

    static final class Run {
        final int exit;
        final String out;

        Run(int exit, String out) {
            this.exit = exit;
            this.out = out;
        }
    }

    /** LoaderProbe in a child JVM with these -D properties and environment changes. */
    static Run probe(List<String> properties, Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(properties);
        cmd.add("-Dwerun.root=" + VectorFile.root());
        cmd.add("-cp");
        cmd.add(CLASSES + File.pathSeparator + TEST_CLASSES + File.pathSeparator + System.getProperty("java.class.path"));
        cmd.add("dev.werun.LoaderProbe");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("WERUN_LIBRARY");
        for (Map.Entry<String, String> e : env.entrySet()) pb.environment().put(e.getKey(), e.getValue());
        Process p = pb.start();
        byte[] out = readAll(p);
        return new Run(p.waitFor(), new String(out, StandardCharsets.UTF_8).trim());
    }

    static byte[] readAll(Process p) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = p.getInputStream().read(buf)) > 0) b.write(buf, 0, n);
        return b.toByteArray();
    }

    static Run probe(String... properties) throws IOException, InterruptedException {
        return probe(Arrays.asList(properties), java.util.Collections.emptyMap());
    }

    static void assertFixItMessage(Run r, String platform) {
        assertEquals(3, r.exit, r.out);
        assertTrue(r.out.startsWith("werun " + Werun.version() + ": cannot load its native library on " + platform),
                r.out);
        assertTrue(r.out.contains("-Dwerun.library.path=/path/to/libwerun_jni.so"), r.out);
        assertTrue(r.out.contains("WERUN_LIBRARY environment variable"), r.out);
        assertTrue(r.out.contains("os.arch=" + System.getProperty("os.arch")), r.out);
    }

    static String here() {
        return "linux-" + NativeLoader.arch() + " (" + NativeLoader.libc() + ")";
    }

    static Path bundled() {
        return Paths.get(CLASSES, "dev/werun/native/linux-" + NativeLoader.arch() + "/libwerun_jni.so");
    }

    @Test
    void theJarsLibraryByDefault(@TempDir Path tmp) throws Exception {
        Run r = probe("-Dwerun.tmpdir=" + tmp);
        assertEquals(0, r.exit, r.out);
        assertEquals("loaded jar:dev/werun/native/linux-" + NativeLoader.arch() + "/libwerun_jni.so\n31", r.out);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "the extracted library was left behind");
        }
    }

    @Test
    void thePropertyComesFirstThenTheEnvironment() throws Exception {
        String lib = bundled().toString();
        Run r = probe(Arrays.asList("-Dwerun.library.path=" + lib),
                java.util.Collections.singletonMap("WERUN_LIBRARY", "/nonexistent/libwerun_jni.so"));
        assertEquals("loaded " + lib + "\n31", r.out);
        r = probe(Arrays.asList(), java.util.Collections.singletonMap("WERUN_LIBRARY", lib));
        assertEquals("loaded " + lib + "\n31", r.out);
    }

    @Test
    void aMissingFileIsNamedWithNoFallback() throws Exception {
        Run r = probe("-Dwerun.library.path=/nonexistent/libwerun_jni.so");
        assertFixItMessage(r, here());
        assertTrue(r.out.contains("-Dwerun.library.path=/nonexistent/libwerun_jni.so: no such file"), r.out);
        r = probe(Arrays.asList(), java.util.Collections.singletonMap("WERUN_LIBRARY", "/nonexistent/x.so"));
        assertFixItMessage(r, here());
        assertTrue(r.out.contains("WERUN_LIBRARY=/nonexistent/x.so: no such file"), r.out);
    }

    @Test
    void anotherAbiVersionIsRefused() throws Exception {
        Path fake = VectorFile.root().resolve("target/java-natives-test/libwerun_fake_abi.so");
        assertTrue(Files.isRegularFile(fake), fake + " is missing: run bindings/java/build-natives.sh");
        Run r = probe("-Dwerun.library.path=" + fake);
        assertFixItMessage(r, here());
        assertTrue(r.out.contains("has werun ABI version 999; this binding (werun " + Werun.version()
                + ") needs ABI version 1"), r.out);
    }

    @Test
    void theCLibraryIsNotTheJniLibrary() throws Exception {
        Path c = VectorFile.root().resolve("target/release/libwerun.so");
        assertTrue(Files.isRegularFile(c), c + " is missing: run make lib");
        Run r = probe("-Dwerun.library.path=" + c);
        assertFixItMessage(r, here());
        assertTrue(r.out.contains("is not werun's JNI library"), r.out);
        assertTrue(r.out.contains("not the C library libwerun.so"), r.out);
    }

    @Test
    void aPlatformWithoutABundledLibraryIsNamed() throws Exception {
        Run r = probe("-Dwerun.arch=riscv64");
        assertFixItMessage(r, "linux-riscv64 (" + NativeLoader.libc() + ")");
        assertTrue(r.out.contains("this werun jar has no native library for linux-riscv64"), r.out);
        assertTrue(r.out.contains("it carries linux-x86_64 (glibc 2.17 or newer), linux-aarch64 (glibc 2.17 or newer)"),
                r.out);
        r = probe("-Dwerun.libc=musl");
        assertFixItMessage(r, "linux-" + NativeLoader.arch() + " (musl)");
        assertTrue(r.out.contains("no native library for linux-" + NativeLoader.arch() + " (musl)"), r.out);
    }

    @Test
    void anUnwritableTemporaryDirectoryIsNamed() throws Exception {
        Run r = probe("-Dwerun.tmpdir=/nonexistent/dir");
        assertFixItMessage(r, here());
        assertTrue(r.out.contains("cannot extract dev/werun/native/"), r.out);
        assertTrue(r.out.contains("-Dwerun.tmpdir=<a writable directory>"), r.out);
    }

    @Test
    void thisMachineIsDetected() {
        assertEquals("linux", NativeLoader.os());
        assertEquals("glibc", NativeLoader.libc(), "the CI machine is Debian");
        assertTrue(Files.isRegularFile(bundled()), bundled().toString());
    }

    /** JNI binds a library to one class loader: each loader gets its own extracted copy. */
    @Test
    void twoClassLoadersEachLoadTheLibrary() throws Exception {
        URL[] urls = {Paths.get(CLASSES).toUri().toURL()};
        VectorFile.Vector s = VectorFile.load().sample;
        for (int i = 0; i < 2; i++) {
            try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getSystemClassLoader().getParent())) {
                Class<?> werun = loader.loadClass("dev.werun.Werun");
                assertTrue(werun != Werun.class);
                assertEquals(Boolean.TRUE, werun.getMethod("isAvailable").invoke(null),
                        String.valueOf(werun.getMethod("unavailabilityCause").invoke(null)));
                Class<?> options = loader.loadClass("dev.werun.Options");
                Object o = options.getMethod("forAppid", String.class).invoke(null, s.appid);
                Method decrypt = werun.getMethod("decryptSteps", String.class, String.class, String.class, options);
                Object data = decrypt.invoke(null, s.sessionKey, s.iv, s.encryptedData, o);
                assertEquals(31, data.getClass().getMethod("size").invoke(data));
            }
        }
    }
}
