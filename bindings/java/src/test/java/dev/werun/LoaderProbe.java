package dev.werun;

/**
 * Run in a child JVM by LoaderTest: loads the binding as configured by its system properties
 * and environment, prints "loaded <source>" and decrypts the sample, or prints the loader's
 * message and exits 3.
 */
public final class LoaderProbe {
    public static void main(String[] args) {
        try {
            Werun.ensureAvailable();
        } catch (UnsatisfiedLinkError e) {
            System.out.println(e.getMessage());
            // The same error from every call, message included (never a bare NoClassDefFoundError).
            try {
                Werun.decryptSteps("a", "b", "c", Options.skipAppidCheck());
            } catch (UnsatisfiedLinkError again) {
                if (!again.getMessage().equals(e.getMessage())) System.exit(4);
            }
            System.exit(3);
        }
        System.out.println("loaded " + Werun.libraryPath());
        VectorFile.Vector s = VectorFile.load().sample;
        System.out.println(Werun.decryptSteps(s.sessionKey, s.iv, s.encryptedData, Options.forAppid(s.appid)).size());
    }
}
