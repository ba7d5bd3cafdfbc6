<?php

// bench.php: werun against the path EasyWeChat takes (base64_decode, openssl_decrypt
// aes-128-cbc, json_decode, the appid check), on the same payloads, in one run; and where
// werun's time goes (the FFI call alone, then the PHP objects).
//
//   php bench.php                          2000 generated payloads of 31 entries and of 7
//   php bench.php --generate N [--entries E]   N generated payloads of E entries
//   php bench.php --dataset FILE.jsonl...  dataset files of the peer benchmark's format (one
//                                          JSON object per line: session_key, iv,
//                                          encryptedData, appid, expected_sum, expected_ts_sum)
//   --reps R (default 9), --warmup W (default 1)
//
// Generated payloads: each its own random key and iv (mt_srand(20240601): the same every run),
// compact JSON as WeChat writes it (stepInfoList of one entry a day at 00:00 UTC+8, then the
// watermark). Every pass sums the steps and timestamps; a wrong sum fails the run. `make
// bench-php` runs it with opcache on, as PHP-FPM runs PHP (JIT off, PHP 8.2's default).

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    $file = __DIR__ . '/src/' . substr($class, 6) . '.php';
    if (str_starts_with($class, 'Werun\\') && is_file($file)) {
        require $file;
    }
});

const APPID = 'wx4f4bc4dec97d474b';

function generate(int $n, int $entries): array
{
    mt_srand(20240601 + $entries);
    $out = [];
    for ($i = 0; $i < $n; $i++) {
        $key = pack('N4', mt_rand(), mt_rand(), mt_rand(), mt_rand());
        $iv = pack('N4', mt_rand(), mt_rand(), mt_rand(), mt_rand());
        $day = 1717171200 - 86400 * ($entries - 1);
        $list = [];
        $sum = $tsSum = 0;
        for ($d = 0; $d < $entries; $d++, $day += 86400) {
            $step = mt_rand(0, 5) === 0 ? 0 : mt_rand(1, 22000);
            $list[] = '{"timestamp":' . $day . ',"step":' . $step . '}';
            $sum += $step;
            $tsSum += $day;
        }
        $json = '{"stepInfoList":[' . implode(',', $list) . '],"watermark":{"timestamp":' . (1717201234 + $i) . ',"appid":"' . APPID . '"}}';
        $out[] = ['session_key' => base64_encode($key), 'iv' => base64_encode($iv),
            'encryptedData' => base64_encode((string) openssl_encrypt($json, 'aes-128-cbc', $key, OPENSSL_RAW_DATA, $iv)),
            'appid' => APPID, 'expected_sum' => $sum, 'expected_ts_sum' => $tsSum, 'entries' => $entries];
    }
    return $out;
}

/** EasyWeChat 6's Decryptor::decrypt, plus the appid check it leaves to the caller. */
function baseline(array $d): array
{
    $sum = $ts = 0;
    foreach ($d as $p) {
        $plain = openssl_decrypt(base64_decode($p['encryptedData'], false), 'aes-128-cbc', base64_decode($p['session_key'], false),
            OPENSSL_RAW_DATA, base64_decode($p['iv'], false));
        $data = json_decode((string) $plain, true);
        if (!is_array($data) || ($data['watermark']['appid'] ?? null) !== $p['appid']) {
            throw new RuntimeException('baseline: the payload is invalid');
        }
        foreach ($data['stepInfoList'] as $e) {
            $sum += $e['step'];
            $ts += $e['timestamp'];
        }
    }
    return [$sum, $ts];
}

function werun(array $d): array
{
    $sum = $ts = 0;
    foreach ($d as $p) {
        foreach (Werun\Werun::decryptSteps($p['session_key'], $p['iv'], $p['encryptedData'], appid: $p['appid'])->steps as $s) {
            $sum += $s->step;
            $ts += $s->timestamp;
        }
    }
    return [$sum, $ts];
}

/** The FFI call alone (the C function with the binding's buffers; no PHP objects). */
function ffiOnly(array $d): array
{
    $f = Werun\Ffi::get();
    $options = $f->new('werun_options[1]');
    $appid = $f->new('uint8_t[32]');
    FFI::memcpy($appid, APPID, strlen(APPID));
    $options[0]->appid = $f->cast('const uint8_t *', $appid);
    $options[0]->appid_len = strlen(APPID);
    $steps = $f->new('werun_step[32]');
    $summary = $f->new('werun_summary[1]');
    $scratch = $f->new('uint8_t[4096]');
    $count = 0;
    foreach ($d as $p) {
        $status = $f->werun_decrypt_steps($p['session_key'], strlen($p['session_key']), $p['iv'], strlen($p['iv']),
            $p['encryptedData'], strlen($p['encryptedData']), $options, $scratch, 4096, $steps, 32, $summary);
        if ($status !== 0) {
            throw new RuntimeException("ffi: status $status");
        }
        $count++;
    }
    return [$count, 0];
}

/** Median ns per payload over $reps passes; the checksums must be the dataset's. */
function time_it(string $name, callable $fn, array $d, int $reps, int $warmup, ?array $expect): float
{
    for ($i = 0; $i < $warmup; $i++) {
        $fn($d);
    }
    $times = [];
    for ($i = 0; $i < $reps; $i++) {
        $t = hrtime(true);
        $got = $fn($d);
        $times[] = (hrtime(true) - $t) / count($d);
        if ($expect !== null && $got !== $expect) {
            fwrite(STDERR, "bench.php: $name: checksums " . json_encode($got) . ', expected ' . json_encode($expect) . "\n");
            exit(1);
        }
    }
    sort($times);
    return $times[intdiv(count($times), 2)];
}

$opts = getopt('', ['generate:', 'entries:', 'dataset:', 'reps:', 'warmup:']);
$reps = (int) ($opts['reps'] ?? 9);
$warmup = (int) ($opts['warmup'] ?? 1);
$sets = [];
if (isset($opts['dataset'])) {
    foreach ((array) $opts['dataset'] as $file) {
        $sets[basename($file)] = array_map(static fn (string $l): array => json_decode($l, true, 512, JSON_THROW_ON_ERROR),
            file($file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES));
    }
} elseif (isset($opts['generate'])) {
    $entries = (int) ($opts['entries'] ?? 31);
    $sets["$entries entries"] = generate((int) $opts['generate'], $entries);
} else {
    $sets['31 entries'] = generate(2000, 31);
    $sets['7 entries'] = generate(2000, 7);
}
printf("PHP %s, opcache %s, JIT %s; werun %s; %d passes (median), %d warm-up\n", PHP_VERSION,
    ini_get('opcache.enable_cli') ? 'on' : 'off', (ini_get('opcache.jit_buffer_size') ?: '0') === '0' ? 'off' : 'on',
    Werun\Werun::libraryVersion(), $reps, $warmup);
printf("%-16s %8s %14s %10s %10s %12s %8s\n", 'dataset', 'payloads', 'openssl+json', 'werun', 'FFI call', 'PHP side', 'ratio');
foreach ($sets as $name => $d) {
    $expect = [array_sum(array_column($d, 'expected_sum')), array_sum(array_column($d, 'expected_ts_sum'))];
    $base = time_it('openssl+json', 'baseline', $d, $reps, $warmup, $expect);
    $w = time_it('werun', 'werun', $d, $reps, $warmup, $expect);
    $call = time_it('FFI call', 'ffiOnly', $d, $reps, $warmup, [count($d), 0]);
    printf("%-16s %8d %11.0f ns %7.0f ns %7.0f ns %9.0f ns %7.2fx\n", $name, count($d), $base, $w, $call, $w - $call, $base / $w);
}
