// Soak and stress of the Java binding (dev.werun.Werun.decryptSteps), run by tests/soak/run.sh
// as a single-file program on the binding's jar (java -cp werun.jar tests/soak/Soak.java ...).
// The same modes, payloads and output as soak.c and soak.py:
//
//   Soak VECTORS MIX soak CALLS
//   Soak VECTORS MIX stress THREADS CALLS
//
// RSS is read after System.gc() with a fixed, pre-touched heap (run.sh: -Xms/-Xmx equal,
// -XX:+AlwaysPreTouch), so that it measures native memory and the JVM's own, not heap growth.
import dev.werun.Options;
import dev.werun.WeRunData;
import dev.werun.Werun;
import dev.werun.WerunException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

public class Soak {
    static final long GROWTH_LIMIT_KIB = 1024;

    record Payload(String id, String key, String iv, String data, Options options, Object expected) {}

    /** What a caller sees: the steps and watermark as text, or the exception's status. */
    static Object decrypt(Payload p) {
        try {
            WeRunData d = Werun.decryptSteps(p.key, p.iv, p.data, p.options);
            long[] flat = new long[2 * d.size() + 1];
            for (int i = 0; i < d.size(); i++) {
                flat[2 * i] = d.timestamp(i);
                flat[2 * i + 1] = d.step(i);
            }
            flat[flat.length - 1] = d.watermarkTimestamp().orElse(Long.MIN_VALUE);
            return Arrays.toString(flat);
        } catch (WerunException e) {
            return e.status().name();
        }
    }

    @SuppressWarnings("unchecked")
    static List<Payload> loadMix(String vectorsPath, String mixPath) throws IOException {
        Map<String, Object> file = (Map<String, Object>) new Json(Files.readString(Paths.get(vectorsPath))).value();
        Map<String, Map<String, Object>> byId = new HashMap<>();
        for (Object v : (List<Object>) file.get("vectors")) byId.put((String) ((Map<String, Object>) v).get("id"),
                (Map<String, Object>) v);
        List<Payload> mix = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(mixPath))) {
            String[] f = line.trim().split("\\s+");
            if (f[0].isEmpty() || f[0].startsWith("#")) continue;
            Map<String, Object> v = byId.get(f[1]);
            if (v == null || !"steps".equals(v.get("api")) || v.get("scratch_len") != null) {
                throw new IllegalArgumentException(mixPath + ": " + f[1] + ": not a steps vector with an ample scratch");
            }
            Options o = v.get("appid") == null ? Options.skipAppidCheck() : Options.forAppid((String) v.get("appid"));
            if (Boolean.TRUE.equals(v.get("strict_base64"))) o = o.strictBase64();
            o = o.maxSteps(((Number) v.get("capacity")).intValue());
            Map<String, Object> e = (Map<String, Object>) v.get("expect");
            Object expected;
            if (!"OK".equals(e.get("status"))) {
                expected = e.get("status");
            } else {
                List<Object> steps = (List<Object>) e.get("steps");
                long[] flat = new long[2 * steps.size() + 1];
                for (int i = 0; i < steps.size(); i++) {
                    List<Object> s = (List<Object>) steps.get(i);
                    flat[2 * i] = ((Number) s.get(0)).longValue();
                    flat[2 * i + 1] = ((Number) s.get(1)).longValue();
                }
                Object wm = e.get("watermark_timestamp");
                flat[flat.length - 1] = wm == null ? Long.MIN_VALUE : ((Number) wm).longValue();
                expected = Arrays.toString(flat);
            }
            mix.add(new Payload(f[1], (String) v.get("session_key"), (String) v.get("iv"),
                    (String) v.get("encrypted_data"), o, expected));
        }
        if (mix.isEmpty()) throw new IllegalArgumentException(mixPath + ": no payloads");
        return mix;
    }

    static long rssKib() throws IOException {
        System.gc();
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.split("\\s+")[1]);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    static boolean soak(List<Payload> mix, int calls) throws IOException {
        // The warm-up is CALLS/10 as in the other programs, but at least 100,000 calls (at most
        // half): the JIT compiles for longer than a C program warms its caches.
        int warmup = Math.max(calls / 10, Math.min(100_000, calls / 2)), every = Math.max(1, calls / 20);
        long wrong = 0, rssWarm = 0, rssMax = 0;
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            Payload p = mix.get(i % mix.size());
            Object got = decrypt(p);
            if (!got.equals(p.expected)) {
                wrong++;
                if (wrong <= 10) System.err.println("call " + i + " (" + p.id + "): " + got + "; expected " + p.expected);
            }
            if ((i + 1) % every == 0 || i + 1 == warmup) {
                long rss = rssKib();
                if (i + 1 == warmup) rssWarm = rss;
                rssMax = Math.max(rssMax, rss);
                if (System.getenv("SOAK_TRACE") != null) System.err.println("rss " + (i + 1) + " " + rss);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long rssEnd = rssKib();
        long growth = rssEnd - rssWarm;
        System.out.printf("soak binding=java calls=%d seconds=%.2f rss_warmup_kib=%d rss_end_kib=%d growth_kib=%d "
                + "rss_max_kib=%d wrong=%d%n", calls, seconds, rssWarm, rssEnd, growth, rssMax, wrong);
        if (growth > GROWTH_LIMIT_KIB) {
            System.err.println("soak java: RSS grew by " + growth + " KiB after the warm-up (limit " + GROWTH_LIMIT_KIB
                    + " KiB)");
        }
        return wrong == 0 && growth <= GROWTH_LIMIT_KIB;
    }

    static boolean stress(List<Payload> mix, int threads, int calls) throws Exception {
        List<Object> single = new ArrayList<>();
        boolean ok = true;
        for (Payload p : mix) {
            Object got = decrypt(p);
            single.add(got);
            if (!got.equals(p.expected)) {
                System.err.println(p.id + ": the single-threaded result is not the vector file's");
                ok = false;
            }
        }
        CyclicBarrier startLine = new CyclicBarrier(threads + 1);
        AtomicLong wrong = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            int offset = k * mix.size() / threads;
            Thread t = new Thread(() -> {
                try {
                    startLine.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < calls; i++) {
                    int j = (i + offset) % mix.size();
                    if (!decrypt(mix.get(j)).equals(single.get(j)) && wrong.incrementAndGet() <= 10) {
                        System.err.println("call " + i + " (" + mix.get(j).id + "): not the single-threaded result");
                    }
                }
            });
            t.start();
            workers.add(t);
        }
        startLine.await();
        long start = System.nanoTime();
        for (Thread t : workers) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        long total = (long) calls * threads;
        System.out.printf("stress binding=java threads=%d calls=%d seconds=%.2f calls_per_second=%.0f wrong=%d%n",
                threads, total, seconds, total / seconds, wrong.get());
        return ok && wrong.get() == 0;
    }

    public static void main(String[] args) throws Exception {
        boolean ok;
        if (args.length == 4 && args[2].equals("soak")) {
            ok = soak(loadMix(args[0], args[1]), Integer.parseInt(args[3]));
        } else if (args.length == 5 && args[2].equals("stress")) {
            ok = stress(loadMix(args[0], args[1]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else {
            System.err.println("usage: Soak VECTORS MIX soak CALLS | Soak VECTORS MIX stress THREADS CALLS");
            System.exit(2);
            return;
        }
        System.exit(ok ? 0 : 1);
    }

    /** Just enough JSON for the vector file: objects, arrays, strings, integers, booleans, null. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    Map<String, Object> m = new LinkedHashMap<>();
                    i++;
                    skip();
                    if (s.charAt(i) == '}') { i++; return m; }
                    while (true) {
                        skip();
                        String k = (String) value();
                        skip();
                        i++; // :
                        m.put(k, value());
                        skip();
                        if (s.charAt(i++) == '}') return m;
                    }
                }
                case '[': {
                    List<Object> l = new ArrayList<>();
                    i++;
                    skip();
                    if (s.charAt(i) == ']') { i++; return l; }
                    while (true) {
                        l.add(value());
                        skip();
                        if (s.charAt(i++) == ']') return l;
                    }
                }
                case '"': {
                    StringBuilder b = new StringBuilder();
                    i++;
                    while (s.charAt(i) != '"') {
                        char ch = s.charAt(i++);
                        if (ch == '\\') {
                            char e = s.charAt(i++);
                            switch (e) {
                                case 'n': b.append('\n'); break;
                                case 't': b.append('\t'); break;
                                case 'r': b.append('\r'); break;
                                case 'b': b.append('\b'); break;
                                case 'f': b.append('\f'); break;
                                case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                                default: b.append(e);
                            }
                        } else {
                            b.append(ch);
                        }
                    }
                    i++;
                    return b.toString();
                }
                case 't': i += 4; return Boolean.TRUE;
                case 'f': i += 5; return Boolean.FALSE;
                case 'n': i += 4; return null;
                default: {
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
                    return new java.math.BigDecimal(s.substring(start, i));
                }
            }
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
    }
}
