<?php

// Soak and stress of the PHP binding (Werun\Werun::decryptSteps), run by tests/soak/run.sh with
// WERUN_LIBRARY pointing at target/release/libwerun.so. The same modes, payloads and output as
// soak.c:
//
//     php soak.php VECTORS MIX soak CALLS
//     php soak.php VECTORS MIX stress WORKERS CALLS   (processes, as PHP-FPM runs PHP: pcntl_fork)

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    $file = __DIR__ . '/../../bindings/php/src/' . substr($class, 6) . '.php';
    if (str_starts_with($class, 'Werun\\') && is_file($file)) {
        require $file;
    }
});

const GROWTH_LIMIT_KIB = 1024; // from the end of the warm-up (call CALLS / 10) to the last call

function loadMix(string $vectorsPath, string $mixPath): array
{
    $byId = [];
    foreach (json_decode((string) file_get_contents($vectorsPath), true, 512, JSON_THROW_ON_ERROR)['vectors'] as $v) {
        $byId[$v['id']] = $v;
    }
    $mix = [];
    foreach (file($mixPath) as $line) {
        $fields = preg_split('/\s+/', trim($line));
        if ($fields[0] === '' || $fields[0][0] === '#') {
            continue;
        }
        $v = $byId[$fields[1]] ?? null;
        if ($v === null || $v['api'] !== 'steps' || $v['scratch_len'] !== null) {
            fwrite(STDERR, "$mixPath: {$fields[1]}: not a steps vector with an ample scratch\n");
            exit(2);
        }
        $mix[] = $v;
    }
    return $mix;
}

/** What a caller sees: "OK steps watermark" or the error's status name. */
function decrypt(array $v): string
{
    $checks = $v['appid'] === null ? ['skipAppidCheck' => true] : ['appid' => $v['appid']];
    try {
        $data = Werun\Werun::decryptSteps($v['session_key'], $v['iv'], $v['encrypted_data'], ...$checks,
            strictBase64: $v['strict_base64'], maxSteps: $v['capacity']);
    } catch (Werun\WerunException $e) {
        return $e->status()->name;
    }
    $out = 'OK';
    foreach ($data->steps as $s) {
        $out .= " $s->timestamp:$s->step";
    }
    return $out . ' w' . ($data->watermarkTimestamp ?? 'none');
}

function expected(array $v): string
{
    $e = $v['expect'];
    if ($e['status'] !== 'OK') {
        return $e['status'];
    }
    $out = 'OK';
    foreach ($e['steps'] as [$t, $s]) {
        $out .= " $t:$s";
    }
    return $out . ' w' . ($e['watermark_timestamp'] ?? 'none');
}

function rssKib(): int
{
    gc_collect_cycles();
    preg_match('/^VmRSS:\s+(\d+)/m', (string) file_get_contents('/proc/self/status'), $m);
    return (int) $m[1];
}

function soak(array $mix, int $calls): bool
{
    $want = array_map('expected', $mix);
    $n = count($mix);
    $warmup = intdiv($calls, 10);
    $every = max(1, intdiv($calls, 20));
    $wrong = $rssWarm = $rssMax = 0;
    $start = hrtime(true);
    for ($i = 0; $i < $calls; $i++) {
        $j = $i % $n;
        if (decrypt($mix[$j]) !== $want[$j]) {
            if (++$wrong <= 10) {
                fwrite(STDERR, "call $i ({$mix[$j]['id']}): not the vector file's result\n");
            }
        }
        if (($i + 1) % $every === 0 || $i + 1 === $warmup) {
            $rss = rssKib();
            if ($i + 1 === $warmup) {
                $rssWarm = $rss;
            }
            $rssMax = max($rssMax, $rss);
        }
    }
    $seconds = (hrtime(true) - $start) / 1e9;
    $rssEnd = rssKib();
    $growth = $rssEnd - $rssWarm;
    printf("soak binding=php calls=%d seconds=%.2f rss_warmup_kib=%d rss_end_kib=%d growth_kib=%d rss_max_kib=%d wrong=%d\n",
        $calls, $seconds, $rssWarm, $rssEnd, $growth, $rssMax, $wrong);
    if ($growth > GROWTH_LIMIT_KIB) {
        fwrite(STDERR, "soak php: RSS grew by $growth KiB after the warm-up (limit " . GROWTH_LIMIT_KIB . " KiB)\n");
    }
    return $wrong === 0 && $growth <= GROWTH_LIMIT_KIB;
}

function stress(array $mix, int $workers, int $calls): bool
{
    $single = array_map('decrypt', $mix);
    $ok = true;
    foreach ($mix as $j => $v) {
        if ($single[$j] !== expected($v)) {
            fwrite(STDERR, "{$v['id']}: the single-process result is not the vector file's\n");
            $ok = false;
        }
    }
    $n = count($mix);
    $start = hrtime(true);
    $pids = [];
    for ($k = 0; $k < $workers; $k++) {
        $pid = pcntl_fork();
        if ($pid === -1) {
            fwrite(STDERR, "cannot fork\n");
            exit(1);
        }
        if ($pid === 0) {
            $offset = intdiv($k * $n, $workers); // workers on different payloads
            $wrong = 0;
            for ($i = 0; $i < $calls; $i++) {
                $j = ($i + $offset) % $n;
                if (decrypt($mix[$j]) !== $single[$j]) {
                    $wrong++;
                }
            }
            exit($wrong === 0 ? 0 : 1);
        }
        $pids[] = $pid;
    }
    $failed = 0;
    foreach ($pids as $pid) {
        pcntl_waitpid($pid, $status);
        if (!pcntl_wifexited($status) || pcntl_wexitstatus($status) !== 0) {
            $failed++;
        }
    }
    $seconds = (hrtime(true) - $start) / 1e9;
    $total = $calls * $workers;
    printf("stress binding=php threads=%d calls=%d seconds=%.2f calls_per_second=%.0f wrong=%d\n",
        $workers, $total, $seconds, $total / $seconds, $failed);
    return $ok && $failed === 0;
}

if ($argc === 5 && $argv[3] === 'soak') {
    exit(soak(loadMix($argv[1], $argv[2]), (int) $argv[4]) ? 0 : 1);
}
if ($argc === 6 && $argv[3] === 'stress') {
    exit(stress(loadMix($argv[1], $argv[2]), (int) $argv[4], (int) $argv[5]) ? 0 : 1);
}
fwrite(STDERR, "usage: $argv[0] VECTORS MIX soak CALLS | $argv[0] VECTORS MIX stress WORKERS CALLS\n");
exit(2);
