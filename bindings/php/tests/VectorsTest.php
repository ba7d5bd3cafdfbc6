<?php

// Every vector of tests/vectors/werun.json (the file the Rust, C, Python, Go, C++ and Node
// tests read) through the PHP API, in both base64 modes (the file's strict and repairing
// vectors): status, exception class, code, message, steps, watermark, JSON, diagnosis, the key
// index of the candidate-key vectors; and the PHP status table against the file's.

declare(strict_types=1);

namespace Werun\Tests;

use PHPUnit\Framework\TestCase;
use Werun\Diagnosis;
use Werun\Ffi;
use Werun\Status;
use Werun\Step;
use Werun\WerunException;
use Werun\Werun;
use Werun\WeRunData;

final class VectorsTest extends TestCase
{
    /** @return array<string, array{0: array}> */
    private static function byId(callable $filter, string $key = 'vectors'): array
    {
        $out = [];
        foreach (vectors()[$key] as $v) {
            if ($filter($v)) {
                $out[$v['id']] = [$v];
            }
        }
        return $out;
    }

    public static function stepsVectors(): array
    {
        return self::byId(static fn (array $v): bool => $v['api'] === 'steps');
    }

    public static function openDataVectors(): array
    {
        return self::byId(static fn (array $v): bool => $v['api'] === 'open_data');
    }

    public static function allVectors(): array
    {
        return self::byId(static fn (array $v): bool => true);
    }

    public static function keysVectors(): array
    {
        return self::byId(static fn (array $v): bool => true, 'keys_vectors');
    }

    /** The checks of a vector as named arguments. */
    private static function checks(array $v): array
    {
        $args = $v['appid'] === null ? ['skipAppidCheck' => true] : ['appid' => $v['appid']];
        if ($v['max_age'] !== null) {
            // max_age is a uint64 in C; PHP's int stops at 2**63-1. The one vector above it
            // (u64::MAX with now = i64::MIN) expires the same at PHP_INT_MAX.
            $args['maxAge'] = is_string($v['max_age']) ? PHP_INT_MAX : $v['max_age'];
            $args['now'] = $v['now'];
        }
        return $args + ['strictBase64' => $v['strict_base64']];
    }

    private static function expectWerunException(array $v, \Closure $call): WerunException
    {
        try {
            $call();
        } catch (WerunException $e) {
            $status = Status::from($e->getCode());
            self::assertSame($v['expect']['status'], $status->name, $v['id']);
            self::assertSame(WerunException::classFor($status), get_class($e));
            self::assertSame(Ffi::get()->werun_status_str($status->value), $e->getMessage());
            self::assertSame(Ffi::get()->werun_status_wx_code($status->value), $e->wxCode());
            self::assertSame($status, $e->status());
            return $e;
        }
        self::fail("{$v['id']}: no exception, expected {$v['expect']['status']}");
    }

    /** @return list<array{0: int, 1: int}> */
    private static function pairs(WeRunData $data): array
    {
        return array_map(static fn (Step $s): array => [$s->timestamp, $s->step], $data->steps);
    }

    public function testTheFileCoversBothBase64ModesAndEveryPublicStatus(): void
    {
        $modes = array_unique(array_column(vectors()['vectors'], 'strict_base64'));
        sort($modes);
        self::assertSame([false, true], $modes);
        $seen = array_unique(array_map(static fn (array $v): string => $v['expect']['status'], vectors()['vectors']));
        $public = array_diff(array_map(static fn (Status $s): string => $s->name, Status::cases()),
            ['NULL_ARGUMENT', 'INTERNAL', 'INVALID_ARGUMENT']);
        self::assertSame([], array_values(array_diff($public, $seen)));
    }

    /** A status added to the header (and so to Status, generated from it) must be in werun.json, and the other way round. */
    public function testStatusTableIsTheVectorFilesTable(): void
    {
        $php = array_map(static fn (Status $s): array => ['code' => $s->value, 'name' => $s->name], Status::cases());
        self::assertSame(vectors()['statuses'], $php);
        $diagnoses = array_map(static fn (Diagnosis $d): array => ['code' => $d->value, 'name' => $d->name], Diagnosis::cases());
        self::assertSame(vectors()['diagnoses'], $diagnoses);
    }

    public function testEveryStatusHasAnExceptionClassOfItsOwn(): void
    {
        $classes = [];
        foreach (Status::cases() as $status) {
            if ($status === Status::OK) {
                continue;
            }
            $class = WerunException::classFor($status);
            self::assertTrue(is_subclass_of($class, WerunException::class), $class);
            self::assertSame($status, $class::STATUS);
            $e = WerunException::fromStatus($status->value);
            self::assertInstanceOf($class, $e);
            self::assertSame($status->value, $e->getCode());
            self::assertSame($status->message(), $e->getMessage());
            self::assertNotSame('', $e->getMessage());
            $classes[] = $class;
        }
        self::assertSame(count($classes), count(array_unique($classes)));
    }

    public function testWxCodesAreTheSamplesCodes(): void
    {
        $want = ['OK' => 0, 'SESSION_KEY_INVALID' => -41001, 'IV_INVALID' => -41002, 'ENCRYPTED_DATA_INVALID' => -41004,
            'CIPHERTEXT_LENGTH' => -41003, 'DECRYPT_FAILED' => -41003, 'APPID_MISMATCH' => -41003, 'WATERMARK_EXPIRED' => -41003,
            'CAPACITY_EXCEEDED' => -41003, 'NULL_ARGUMENT' => -41003, 'BUFFER_TOO_SMALL' => -41003, 'INTERNAL' => -41003,
            'INVALID_ARGUMENT' => -41003];
        foreach (Status::cases() as $status) {
            self::assertSame($want[$status->name], $status->wxCode(), $status->name);
        }
        self::assertSame(-41003, (new WerunException('x', 99))->wxCode());
    }

    /** @dataProvider stepsVectors */
    public function testDecryptSteps(array $v): void
    {
        $expect = $v['expect'];
        $args = [$v['session_key'], $v['iv'], $v['encrypted_data']];
        if ($v['scratch_len'] !== null) {
            // The API sizes its own scratch: only the C call can be given too little.
            self::assertSame($expect['status'], Status::from(self::rawCall($v, $v['scratch_len']))->name);
            if ($expect['status'] === 'BUFFER_TOO_SMALL') {
                self::assertCount(31, Werun::decryptSteps(...$args, ...self::checks($v))->steps);
                return;
            }
        }
        if ($expect['status'] === 'OK') {
            $data = Werun::decryptSteps(...$args, ...self::checks($v), maxSteps: $v['capacity']);
            self::assertSame($expect['steps'], self::pairs($data));
            self::assertSame($expect['watermark_timestamp'], $data->watermarkTimestamp);
            self::assertSame(0, $data->keyIndex);
            self::assertTrue(array_is_list($data->steps));
            // Without maxSteps: the same result.
            self::assertEquals($data, Werun::decryptSteps(...$args, ...self::checks($v)));
            return;
        }
        self::expectWerunException($v, static fn () => Werun::decryptSteps(...$args, ...self::checks($v), maxSteps: $v['capacity']));
        if ($expect['status'] === 'CAPACITY_EXCEEDED') {
            // Without maxSteps every entry comes back, never a truncated list.
            $all = Werun::decryptSteps(...$args, ...self::checks($v));
            self::assertGreaterThan($v['capacity'], count($all->steps));
            self::assertEquals($all, Werun::decryptSteps(...$args, ...self::checks($v), maxSteps: count($all->steps)));
        } else {
            self::expectWerunException($v, static fn () => Werun::decryptSteps(...$args, ...self::checks($v)));
        }
    }

    /** @dataProvider openDataVectors */
    public function testOpenData(array $v): void
    {
        $args = [$v['session_key'], $v['iv'], $v['encrypted_data']];
        if ($v['expect']['status'] !== 'OK') {
            self::expectWerunException($v, static fn () => Werun::openData(...$args, ...self::checks($v)));
            return;
        }
        $opened = Werun::openData(...$args, ...self::checks($v));
        self::assertSame($v['expect']['json'], $opened->json);
        self::assertSame($v['expect']['watermark_timestamp'], $opened->watermarkTimestamp);
        $decoded = json_decode($v['expect']['json'], true, 512, JSON_BIGINT_AS_STRING);
        if (is_array($decoded)) {
            self::assertSame($decoded, $opened->toArray());
        } else {
            $this->expectException(\UnexpectedValueException::class);
            $opened->toArray();
        }
    }

    /** @dataProvider stepsVectors */
    public function testOpenDataOfWeRunPayloadsIsTheirPlaintext(array $v): void
    {
        if ($v['expect']['status'] !== 'OK' || $v['scratch_len'] !== null) {
            $this->addToAssertionCount(1);
            return;
        }
        $doc = Werun::openData($v['session_key'], $v['iv'], $v['encrypted_data'], ...self::checks($v))->toArray();
        $entries = array_map(static fn (array $e): array => [(int) $e['timestamp'], $e['step']], $doc['stepInfoList']);
        self::assertSame($v['expect']['steps'], $entries);
    }

    /** @dataProvider allVectors */
    public function testDiagnose(array $v): void
    {
        $args = [$v['session_key'], $v['iv'], $v['encrypted_data']];
        if ($v['scratch_len'] !== null) {
            $this->addToAssertionCount(1); // a vector about the C scratch size: diagnose sizes its own
            return;
        }
        if ($v['expect']['diagnosis'] === null) {
            self::assertContains($v['expect']['status'], ['SESSION_KEY_INVALID', 'IV_INVALID', 'ENCRYPTED_DATA_INVALID', 'CIPHERTEXT_LENGTH']);
            self::expectWerunException($v, static fn () => Werun::diagnose(...$args, strictBase64: $v['strict_base64']));
            return;
        }
        $got = Werun::diagnose(...$args, strictBase64: $v['strict_base64']);
        self::assertSame($v['expect']['diagnosis'], $got->name);
        self::assertNotSame('', $got->message());
    }

    public function testTheKeysVectorsCoverFirstSecondLastNoneAndInvalid(): void
    {
        $indexes = array_unique(array_map(static fn (array $v): ?int => $v['expect']['key_index'], vectors()['keys_vectors']));
        foreach ([0, 1, 3, null] as $i) {
            self::assertContains($i, $indexes);
        }
    }

    /** @dataProvider keysVectors */
    public function testDecryptStepsWithCandidateKeys(array $v): void
    {
        $args = [$v['session_keys'], $v['iv'], $v['encrypted_data']];
        if ($v['expect']['status'] !== 'OK') {
            self::expectWerunException($v, static fn () => Werun::decryptSteps(...$args, appid: $v['appid']));
            return;
        }
        $data = Werun::decryptSteps(...$args, appid: $v['appid']);
        self::assertSame($v['expect']['steps'], self::pairs($data));
        self::assertSame($v['expect']['watermark_timestamp'], $data->watermarkTimestamp);
        self::assertSame($v['expect']['key_index'], $data->keyIndex);
        // The key that worked, alone: the same steps, keyIndex 0.
        $alone = Werun::decryptSteps($v['session_keys'][$data->keyIndex], $v['iv'], $v['encrypted_data'], appid: $v['appid']);
        self::assertEquals(new WeRunData($data->steps, $data->watermarkTimestamp, 0), $alone);
        // maxSteps through the candidate-key call too.
        $n = count($data->steps);
        self::assertEquals($data, Werun::decryptSteps(...$args, appid: $v['appid'], maxSteps: $n));
        if ($n > 0) {
            self::expectWerunException(['id' => $v['id'], 'expect' => ['status' => 'CAPACITY_EXCEEDED']],
                static fn () => Werun::decryptSteps(...$args, appid: $v['appid'], maxSteps: $n - 1));
        }
    }

    public function testTheSampleIsTheFirstVector(): void
    {
        $s = vectors()['sample'];
        $data = Werun::decryptSteps($s['session_key'], $s['iv'], $s['encrypted_data'], appid: $s['appid']);
        self::assertSame($s['expect']['steps'], self::pairs($data));
        self::assertSame($s['expect']['watermark_timestamp'], $data->watermarkTimestamp);
    }

    /** werun_decrypt_steps itself with this scratch size: the status. */
    private static function rawCall(array $v, int $scratchLen): int
    {
        $f = Ffi::get();
        $options = $f->new('werun_options[1]');
        $appid = $f->new('uint8_t[64]');
        \FFI::memcpy($appid, $v['appid'], strlen($v['appid']));
        $options[0]->appid = $f->cast('const uint8_t *', $appid);
        $options[0]->appid_len = strlen($v['appid']);
        $options[0]->flags = $v['strict_base64'] ? 2 : 0;
        $scratch = $f->new("uint8_t[$scratchLen]");
        $steps = $f->new('werun_step[' . $v['capacity'] . ']');
        $summary = $f->new('werun_summary[1]');
        return $f->werun_decrypt_steps($v['session_key'], strlen($v['session_key']), $v['iv'], strlen($v['iv']),
            $v['encrypted_data'], strlen($v['encrypted_data']), $options, $scratch, $scratchLen, $steps, $v['capacity'], $summary);
    }
}
