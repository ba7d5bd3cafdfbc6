// The Java binding as a peer of the benchmark harness (docs/performance.md): the same contract
// as its Java peer (WeRunBench.java: JDK AES + Gson): the whole dataset is read before timing;
// a timed pass decrypts every payload in order, in one thread (its own key each), builds the
// result list and adds up every step and timestamp, which must equal the dataset's sums.
// --warmup untimed passes (15, as the peer's), then REPS timed ones; one JSON line with the
// median ns per payload, as the harness's peers print it.
//
//   java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp werun.jar:. dev.werun.WerunBench DATASET [--reps N] [--warmup N]
//
// Also printed, on stderr: the bare cost of a JNI call (a static native method that returns
// its argument) and of the binding's JNI round trip with its arrays (a call the
// library refuses at once: a session_key of one character), and the same pass read through
// the allocation-free accessors (size(), timestamp(i), step(i)) instead of the List<Step> view.
// (In package dev.werun, on the jar's classpath, to reach the package-private Native.)
package dev.werun;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class WerunBench {
    static final Pattern STR = Pattern.compile("\"(session_key|iv|encryptedData|appid)\":\"([^\"]*)\"");
    static final Pattern NUM = Pattern.compile("\"(expected_sum|expected_ts_sum)\":(-?\\d+)");

    static final class Payload {
        String key, iv, data;
        Options options;
    }

    public static void main(String[] args) throws Exception {
        String file = "dataset.jsonl";
        int reps = System.getenv("REPS") != null ? Integer.parseInt(System.getenv("REPS")) : 7;
        int warmup = 15;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--reps")) reps = Integer.parseInt(args[++i]);
            else if (args[i].equals("--warmup")) warmup = Integer.parseInt(args[++i]);
            else file = args[i];
        }
        List<Payload> recs = new ArrayList<>();
        Map<String, Options> byAppid = new HashMap<>();
        long wantSteps = 0, wantTs = 0;
        for (String line : Files.readAllLines(Paths.get(file), StandardCharsets.US_ASCII)) {
            if (line.trim().isEmpty()) continue;
            Payload p = new Payload();
            Matcher m = STR.matcher(line);
            while (m.find()) {
                switch (m.group(1)) {
                    case "session_key": p.key = m.group(2); break;
                    case "iv": p.iv = m.group(2); break;
                    case "encryptedData": p.data = m.group(2); break;
                    default: p.options = byAppid.computeIfAbsent(m.group(2), Options::forAppid);
                }
            }
            Matcher n = NUM.matcher(line);
            while (n.find()) {
                if (n.group(1).equals("expected_sum")) wantSteps += Long.parseLong(n.group(2));
                else wantTs += Long.parseLong(n.group(2));
            }
            recs.add(p);
        }
        Payload[] data = recs.toArray(new Payload[0]);
        int count = data.length;
        long[] got = new long[2];
        for (int w = 0; w < warmup; w++) {
            pass(data, got);
            accessorPass(data, got);
        }
        double[] per = new double[reps];
        double[] perAccessors = new double[reps];
        boolean ok = true;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            pass(data, got);
            long t1 = System.nanoTime();
            per[i] = (double) (t1 - t0) / count;
            ok = ok && got[0] == wantSteps && got[1] == wantTs;
            t0 = System.nanoTime();
            accessorPass(data, got);
            t1 = System.nanoTime();
            perAccessors[i] = (double) (t1 - t0) / count;
            ok = ok && got[0] == wantSteps && got[1] == wantTs;
        }
        Arrays.sort(per);
        double med = median(per);
        System.out.printf(Locale.ROOT,
                "{\"peer\": \"java_werun\", \"dataset\": \"%s\", \"payloads\": %d, \"reps\": %d, "
                        + "\"median_ns_per_payload\": %.1f, \"min_ns_per_payload\": %.1f, "
                        + "\"max_ns_per_payload\": %.1f, \"payloads_per_s\": %.1f, \"checksum\": %d, "
                        + "\"expected_checksum\": %d, \"ok\": %s}%n",
                Paths.get(file).getFileName(), count, reps, med, per[0], per[reps - 1], 1e9 / med, got[0], wantSteps,
                ok ? "true" : "false");
        System.err.printf(Locale.ROOT, "# java_werun %s: %.1f ns/payload through steps(), %.1f through the accessors;"
                + " JNI: %.1f ns a bare call, %.1f ns a refused call with its arrays; library %s (%s)%n",
                Paths.get(file).getFileName(), med, median(perAccessors), nopNs(), pinnedNs(data[0]),
                Werun.libraryVersion(), Werun.libraryPath());
        System.exit(ok ? 0 : 1);
    }

    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** The harness's contract: decrypt, a result list, the checksum loop over it. */
    static void pass(Payload[] data, long[] out) {
        long steps = 0, ts = 0;
        for (Payload p : data) {
            WeRunData d = Werun.decryptSteps(p.key, p.iv, p.data, p.options);
            for (Step s : d.steps()) {
                steps += s.step();
                ts += s.timestamp();
            }
        }
        out[0] = steps;
        out[1] = ts;
    }

    static void accessorPass(Payload[] data, long[] out) {
        long steps = 0, ts = 0;
        for (Payload p : data) {
            WeRunData d = Werun.decryptSteps(p.key, p.iv, p.data, p.options);
            for (int i = 0, n = d.size(); i < n; i++) {
                steps += d.step(i);
                ts += d.timestamp(i);
            }
        }
        out[0] = steps;
        out[1] = ts;
    }

    static double nopNs() {
        int calls = 20_000_000;
        long sink = 0;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) sink += Native.nop(i);
            best = Math.min(best, (double) (System.nanoTime() - t0) / calls);
        }
        if (sink == 42) System.err.println();
        return best;
    }

    /** decryptSteps as Werun calls it (the small inputs copied, the data pinned), refused
     *  by the library at its first check (a one-character session_key): the glue's own cost. */
    static double pinnedNs(Payload p) {
        byte[] iv = p.iv.getBytes(StandardCharsets.ISO_8859_1);
        byte[] appid = p.options.appidBytes;
        byte[] small = new byte[1 + iv.length + appid.length];
        small[0] = 'x';
        System.arraycopy(iv, 0, small, 1, iv.length);
        System.arraycopy(appid, 0, small, 1 + iv.length, appid.length);
        byte[] data = p.data.getBytes(StandardCharsets.ISO_8859_1);
        long[] out = new long[2 * Werun.DEFAULT_CAPACITY + Native.OUT_TAIL];
        int calls = 5_000_000;
        long sink = 0;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sink += Native.decryptSteps(small, 1, iv.length, appid.length, data, data.length, 0, 0, 0, null, out,
                        Werun.DEFAULT_CAPACITY);
            }
            best = Math.min(best, (double) (System.nanoTime() - t0) / calls);
        }
        if (sink != 5L * 2 * calls) throw new IllegalStateException("expected SESSION_KEY_INVALID");
        return best;
    }
}
