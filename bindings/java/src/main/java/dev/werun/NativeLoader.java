package dev.werun;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Finds, loads and checks {@code libwerun_jni.so}, once, when {@link Werun} is initialized.
 *
 * <p>Lookup order (the first that applies decides; nothing else is tried after it):
 * <ol>
 *   <li>the system property {@code werun.library.path}: a path to a libwerun_jni.so;
 *   <li>the environment variable {@code WERUN_LIBRARY}: the same;
 *   <li>the library bundled in the jar for this platform ({@code
 *       /dev/werun/native/<os>-<arch>/libwerun_jni.so}), copied to a private temporary file
 *       (in {@code werun.tmpdir}, default {@code java.io.tmpdir}), loaded, and deleted.
 * </ol>
 * Then the library must answer {@code werun_abi_version() == 1}. A failure never throws here:
 * it is kept and thrown by every call of the API as an {@link UnsatisfiedLinkError} whose
 * message names the platform found and how to point the binding at a library.
 */
final class NativeLoader {
    static final String PATH_PROPERTY = "werun.library.path";
    static final String PATH_ENV = "WERUN_LIBRARY";
    static final String TMPDIR_PROPERTY = "werun.tmpdir";
    /** Overrides the detected architecture or libc (tests; unusual JVMs). */
    static final String ARCH_PROPERTY = "werun.arch";
    static final String LIBC_PROPERTY = "werun.libc";
    static final String LIBRARY_FILE = "libwerun_jni.so";
    static final String RESOURCE_DIR = "/dev/werun/native/";
    /** The platforms whose library the jar is built with (each a glibc build). */
    static final String[] BUNDLED = {"linux-x86_64", "linux-aarch64"};

    static final String VERSION = bindingVersion();
    /** Where the library came from (a path, or the jar's resource), or null. */
    static final String SOURCE;
    static final UnsatisfiedLinkError ERROR;

    static {
        String[] source = new String[1];
        UnsatisfiedLinkError error = null;
        try {
            source[0] = load();
        } catch (LoadFailure e) {
            error = e.toLinkError();
        } catch (RuntimeException | LinkageError e) {
            error = new LoadFailure("unexpected " + e, e).toLinkError();
        }
        SOURCE = error == null ? source[0] : null;
        ERROR = error;
    }

    private NativeLoader() {}

    /** The platform as the jar names it: {@code linux-x86_64}, {@code linux-aarch64}, .... */
    static String os() {
        String name = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) return "linux";
        if (name.startsWith("mac") || name.startsWith("darwin")) return "macos";
        if (name.startsWith("windows")) return "windows";
        return name.replaceAll("[^a-z0-9]", "");
    }

    static String arch() {
        String arch = System.getProperty(ARCH_PROPERTY);
        if (arch == null) arch = System.getProperty("os.arch", "unknown");
        arch = arch.toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64":
            case "x86_64":
            case "x64":
                return "x86_64";
            case "aarch64":
            case "arm64":
                return "aarch64";
            default:
                return arch;
        }
    }

    /** "glibc", "musl" or "unknown" on Linux (from the libraries this process has mapped). */
    static String libc() {
        String libc = System.getProperty(LIBC_PROPERTY);
        if (libc != null) return libc;
        if (!"linux".equals(os())) return "none";
        try {
            String maps = new String(Files.readAllBytes(Paths.get("/proc/self/maps")),
                    StandardCharsets.ISO_8859_1);
            if (maps.contains("musl")) return "musl";
            if (maps.contains("/libc.so.6") || maps.contains("/libc-2.")) return "glibc";
        } catch (IOException | RuntimeException e) {
            // fall through: unknown
        }
        return "unknown";
    }

    static String platform() {
        return os() + "-" + arch() + " (" + libc() + ")";
    }

    private static String load() throws LoadFailure {
        String path = System.getProperty(PATH_PROPERTY);
        if (path != null) return loadFile(path, "-D" + PATH_PROPERTY + "=" + path);
        path = System.getenv(PATH_ENV);
        if (path != null && !path.isEmpty()) return loadFile(path, PATH_ENV + "=" + path);
        return loadBundled();
    }

    private static String loadFile(String path, String origin) throws LoadFailure {
        File file = new File(path);
        if (!file.isFile()) throw new LoadFailure(origin + ": no such file", null);
        try {
            System.load(file.getAbsolutePath());
        } catch (UnsatisfiedLinkError e) {
            throw new LoadFailure(origin + ": " + e.getMessage(), e);
        }
        check(origin);
        return file.getAbsolutePath();
    }

    private static String loadBundled() throws LoadFailure {
        String os = os();
        String arch = arch();
        String libc = libc();
        String key = os + "-" + arch;
        String resource = RESOURCE_DIR + key + "/" + LIBRARY_FILE;
        InputStream in = !"musl".equals(libc) ? NativeLoader.class.getResourceAsStream(resource) : null;
        if (in == null) {
            List<String> bundled = new ArrayList<>();
            for (String p : BUNDLED) {
                if (NativeLoader.class.getResource(RESOURCE_DIR + p + "/" + LIBRARY_FILE) != null) {
                    bundled.add(p + " (glibc 2.17 or newer)");
                }
            }
            throw new LoadFailure("this werun jar has no native library for " + key + " (" + libc
                    + "); it carries " + (bundled.isEmpty() ? "none" : String.join(", ", bundled)),
                    null);
        }
        String tmpdir = System.getProperty(TMPDIR_PROPERTY, System.getProperty("java.io.tmpdir"));
        Path file = null;
        try {
            try {
                // createTempFile: a new name no one else has, readable by this user only.
                file = Files.createTempFile(Paths.get(tmpdir), "werun-" + VERSION + "-", "-" + LIBRARY_FILE);
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                in.close();
            }
            String origin = "the jar's " + resource.substring(1) + " (extracted to " + file + ")";
            try {
                System.load(file.toAbsolutePath().toString());
            } catch (UnsatisfiedLinkError e) {
                throw new LoadFailure(origin + ": " + e.getMessage() + " (a temporary directory"
                        + " mounted noexec? set -D" + TMPDIR_PROPERTY + "=<a directory>)", e);
            }
            check(origin);
            return "jar:" + resource.substring(1);
        } catch (IOException e) {
            throw new LoadFailure("cannot extract " + resource.substring(1) + " into " + tmpdir + ": " + e
                    + " (set -D" + TMPDIR_PROPERTY + "=<a writable directory>)", e);
        } finally {
            // Loaded (or not), the file is not needed any more: nothing is left behind.
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
        }
    }

    private static void check(String origin) throws LoadFailure {
        int jni;
        try {
            jni = Native.jniVersion();
        } catch (UnsatisfiedLinkError e) {
            throw new LoadFailure(origin + " is not werun's JNI library: it has no"
                    + " Java_dev_werun_Native_* functions (Java needs " + LIBRARY_FILE + ", not the C"
                    + " library libwerun.so that Python and Node load)", e);
        }
        if (jni != Native.JNI_VERSION) {
            throw new LoadFailure(origin + " has JNI interface version " + jni + "; this binding (werun "
                    + VERSION + ") needs " + Native.JNI_VERSION + ": it belongs to another werun version",
                    null);
        }
        int abi = Native.abiVersion();
        if (abi != Native.ABI_VERSION) {
            throw new LoadFailure(origin + " has werun ABI version " + abi + "; this binding (werun "
                    + VERSION + ") needs ABI version " + Native.ABI_VERSION, null);
        }
    }

    private static String bindingVersion() {
        Properties p = new Properties();
        try (InputStream in = NativeLoader.class.getResourceAsStream("werun.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // unknown
        }
        return p.getProperty("version", "unknown");
    }

    /** A reason the library could not be used; becomes the API's UnsatisfiedLinkError. */
    static final class LoadFailure extends Exception {
        private static final long serialVersionUID = 1L;

        LoadFailure(String reason, Throwable cause) {
            super(reason, cause);
        }

        UnsatisfiedLinkError toLinkError() {
            UnsatisfiedLinkError e = new UnsatisfiedLinkError("werun " + VERSION
                    + ": cannot load its native library on " + platform() + " [os.name="
                    + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch")
                    + "]: " + getMessage() + ". Point the binding at a libwerun_jni.so built for this"
                    + " platform with -D" + PATH_PROPERTY + "=/path/to/" + LIBRARY_FILE + " or the "
                    + PATH_ENV + " environment variable (bindings/java/README.md, \"Native library\").");
            if (getCause() != null) e.initCause(getCause());
            return e;
        }
    }
}
