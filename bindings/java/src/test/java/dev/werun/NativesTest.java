package dev.werun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The libraries the jar carries (target/classes, which the jar packs): both platforms, each an
 * ELF of its machine needing at most GLIBC_2.17 and exporting exactly Native's methods.
 */
class NativesTest {
    /** A binutils command's output (objdump, readelf: a test that cannot run fails). */
    static String run(String tool, String flag, Path lib) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(tool, flag, lib.toString()).redirectErrorStream(true).start();
        byte[] out = LoaderTest.readAll(p);
        assertEquals(0, p.waitFor(), tool + " " + flag + " " + lib + " (binutils installed?)");
        return new String(out, StandardCharsets.UTF_8);
    }

    static Set<String> nativeMethods() {
        Set<String> names = new TreeSet<>();
        for (Method m : Native.class.getDeclaredMethods()) {
            if (Modifier.isNative(m.getModifiers())) names.add("Java_dev_werun_Native_" + m.getName());
        }
        return names;
    }

    @Test
    void bothPlatformsAreBundledForGlibc217() throws Exception {
        String[][] platforms = {{"linux-x86_64", "Advanced Micro Devices X86-64"}, {"linux-aarch64", "AArch64"}};
        assertEquals(platforms.length, NativeLoader.BUNDLED.length);
        for (String[] p : platforms) {
            Path lib = Paths.get(LoaderTest.CLASSES, "dev/werun/native", p[0], "libwerun_jni.so");
            assertTrue(Files.isRegularFile(lib), lib + " is missing: run bindings/java/build-natives.sh");
            assertTrue(run("readelf", "-h", lib).matches("(?s).*Machine:\\s+" + p[1] + "\\n.*"), p[0]);
            String symbols = run("objdump", "-T", lib);
            Matcher m = Pattern.compile("GLIBC_(\\d+)\\.(\\d+)").matcher(symbols);
            int found = 0;
            while (m.find()) {
                found++;
                int major = Integer.parseInt(m.group(1));
                int minor = Integer.parseInt(m.group(2));
                assertTrue(major < 2 || (major == 2 && minor <= 17), p[0] + " needs " + m.group());
            }
            assertTrue(found > 5, p[0] + ": no versioned glibc symbols?");
            // Exported: the JNI entry points, exactly; werun_* stay inside.
            Set<String> exported = new TreeSet<>();
            Matcher e = Pattern.compile("\\s(\\S+)\\s*$", Pattern.MULTILINE).matcher(symbols);
            for (String line : symbols.split("\n")) {
                if (line.contains(" .text") && line.contains(" g ")) {
                    String[] f = line.trim().split("\\s+");
                    exported.add(f[f.length - 1]);
                }
            }
            assertEquals(nativeMethods(), exported, p[0]);
            assertTrue(!symbols.contains("werun_decrypt_steps"), p[0] + " exports werun_*");
            assertTrue(e.find());
        }
    }
}
