package dev.werun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.werun.VectorFile.Vector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Threads calling at once get exactly the single-threaded results. */
class ConcurrencyTest {
    static final int THREADS = 8;
    static final int ROUNDS = 40;

    /** A call's outcome as a comparable value: the result, or the exception's class. */
    static Object outcome(Vector v) {
        Options o = VectorsTest.options(v, v.strictBase64);
        try {
            if (v.api.equals("open_data")) return Werun.openData(v.sessionKey, v.iv, v.encryptedData, o);
            if (v.id.hashCode() % 2 == 0) {
                return Werun.decryptSteps(java.util.Arrays.asList("AAAAAAAAAAAAAAAAAAAAAA==", v.sessionKey), v.iv,
                        v.encryptedData, o);
            }
            return Werun.decryptSteps(v.sessionKey, v.iv, v.encryptedData, o);
        } catch (WerunException e) {
            return e.getClass();
        }
    }

    @Test
    void threadsGetTheSingleThreadedResults() throws Exception {
        List<Vector> vectors = VectorFile.load().vectors;
        List<Object> single = new ArrayList<>();
        for (Vector v : vectors) single.add(outcome(v));
        long ok = single.stream().filter(r -> !(r instanceof Class)).count();
        assertTrue(ok > 30 && ok < vectors.size(), "a mix of successes and failures: " + ok);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        AtomicInteger calls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t * vectors.size() / THREADS;
                wrong.add(pool.submit(() -> {
                    start.await();
                    int bad = 0;
                    for (int r = 0; r < ROUNDS; r++) {
                        for (int i = 0; i < vectors.size(); i++) {
                            int j = (i + offset) % vectors.size();
                            if (!outcome(vectors.get(j)).equals(single.get(j))) bad++;
                            calls.incrementAndGet();
                        }
                    }
                    return bad;
                }));
            }
            for (Future<Integer> f : wrong) assertEquals(0, (int) f.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(THREADS * ROUNDS * vectors.size(), calls.get());
    }
}
