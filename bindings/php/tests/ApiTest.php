<?php

// The API's own rules: named arguments, argument errors before any decryption (non-strings,
// missing or contradictory checks, ranges), NUL bytes and huge strings passed as they are,
// readonly results, and the buffers the binding reuses.

declare(strict_types=1);

namespace Werun\Tests;

use PHPUnit\Framework\TestCase;
use Werun\AppidMismatchException;
use Werun\CapacityExceededException;
use Werun\DecryptFailedException;
use Werun\Diagnosis;
use Werun\EncryptedDataInvalidException;
use Werun\IvInvalidException;
use Werun\SessionKeyInvalidException;
use Werun\Step;
use Werun\WatermarkExpiredException;
use Werun\WerunException;
use Werun\Werun;

final class ApiTest extends TestCase
{
    private static function sample(): array
    {
        return vectors()['sample'];
    }

    /** @return array{0: string, 1: string, 2: string} */
    private static function args(): array
    {
        $s = self::sample();
        return [$s['session_key'], $s['iv'], $s['encrypted_data']];
    }

    private static function vector(string $id): array
    {
        foreach (vectors()['vectors'] as $v) {
            if ($v['id'] === $id) {
                return $v;
            }
        }
        throw new \LogicException("no vector $id");
    }

    public function testTheAppidIsRequiredUnlessTheSkipIsWrittenOut(): void
    {
        try {
            Werun::decryptSteps(...self::args());
            self::fail('no error without appid');
        } catch (\ArgumentCountError $e) {
            self::assertStringContainsString("appid: 'wx…'", $e->getMessage());
            self::assertStringContainsString('skipAppidCheck: true', $e->getMessage());
        }
        $this->expectException(\ArgumentCountError::class);
        Werun::openData(...self::args());
    }

    public function testAppidAndSkipTogetherAreRefused(): void
    {
        $this->expectException(\ValueError::class);
        Werun::decryptSteps(...self::args(), appid: self::sample()['appid'], skipAppidCheck: true);
    }

    public function testSkipAppidCheckAcceptsAnyAppid(): void
    {
        $data = Werun::decryptSteps(...self::args(), skipAppidCheck: true);
        self::assertCount(31, $data->steps);
        self::assertSame(self::sample()['expect']['watermark_timestamp'], $data->watermarkTimestamp);
    }

    public function testNowWithoutMaxAgeIsRefused(): void
    {
        $this->expectException(\ValueError::class);
        Werun::decryptSteps(...self::args(), appid: self::sample()['appid'], now: 1717201234);
    }

    public function testMaxAgeWithoutNowMeasuresAtTheCurrentTime(): void
    {
        $ts = self::sample()['expect']['watermark_timestamp'];
        $appid = self::sample()['appid'];
        $age = time() - $ts;
        self::assertCount(31, Werun::decryptSteps(...self::args(), appid: $appid, maxAge: $age + 3600)->steps);
        $this->expectException(WatermarkExpiredException::class);
        Werun::decryptSteps(...self::args(), appid: $appid, maxAge: $age - 3600);
    }

    public function testRangesAreCheckedBeforeDecrypting(): void
    {
        $appid = self::sample()['appid'];
        foreach ([
            static fn () => Werun::decryptSteps(...self::args(), appid: $appid, maxAge: -1, now: 0),
            static fn () => Werun::decryptSteps(...self::args(), appid: $appid, maxSteps: -1),
            static fn () => Werun::decryptSteps([], self::args()[1], self::args()[2], appid: $appid),
            static fn () => Werun::decryptSteps(array_fill(0, Werun::MAX_CANDIDATE_KEYS + 1, self::args()[0]), self::args()[1], self::args()[2], appid: $appid),
            static fn () => Werun::decryptSteps(['a' => self::args()[0]], self::args()[1], self::args()[2], appid: $appid),
        ] as $i => $call) {
            try {
                $call();
                self::fail("case $i: no ValueError");
            } catch (\ValueError $e) {
                self::assertStringStartsWith('Werun::decryptSteps()', $e->getMessage(), "case $i");
            }
        }
    }

    /** (This file declares strict_types, as a Laravel app's files do.) */
    public function testNonStringsAreTypeErrors(): void
    {
        [$key, $iv, $data] = self::args();
        $appid = self::sample()['appid'];
        $calls = [
            static fn () => Werun::decryptSteps(123, $iv, $data, appid: $appid),
            static fn () => Werun::decryptSteps(null, $iv, $data, appid: $appid),
            static fn () => Werun::decryptSteps($key, 1.5, $data, appid: $appid),
            static fn () => Werun::decryptSteps($key, $iv, ['x'], appid: $appid),
            static fn () => Werun::decryptSteps($key, $iv, $data, appid: 42),
            static fn () => Werun::decryptSteps($key, $iv, $data, appid: $appid, strictBase64: 'yes'),
            static fn () => Werun::decryptSteps($key, $iv, $data, appid: $appid, maxSteps: '31'),
            static fn () => Werun::decryptSteps([$key, 7], $iv, $data, appid: $appid),
            static fn () => Werun::decryptSteps([$key, null], $iv, $data, appid: $appid),
            static fn () => Werun::openData(new \stdClass(), $iv, $data, appid: $appid),
            static fn () => Werun::diagnose($key, $iv, false),
        ];
        foreach ($calls as $i => $call) {
            try {
                $call();
                self::fail("case $i: no TypeError");
            } catch (\TypeError $e) {
                $this->addToAssertionCount(1);
            }
        }
    }

    public function testAnUnknownNamedArgumentIsAnError(): void
    {
        $this->expectException(\Error::class);
        $this->expectExceptionMessage('Unknown named parameter $appId');
        Werun::decryptSteps(...self::args(), appId: self::sample()['appid']);
    }

    /** Lengths are passed, never strlen() of a C string: a NUL byte is one more byte. */
    public function testNulBytesArePartOfTheText(): void
    {
        [$key, $iv, $data] = self::args();
        $appid = self::sample()['appid'];
        foreach ([
            [SessionKeyInvalidException::class, static fn () => Werun::decryptSteps($key . "\0", $iv, $data, appid: $appid)],
            [SessionKeyInvalidException::class, static fn () => Werun::decryptSteps("\0" . $key, $iv, $data, appid: $appid)],
            [IvInvalidException::class, static fn () => Werun::decryptSteps($key, $iv . "\0AAAA", $data, appid: $appid)],
            [EncryptedDataInvalidException::class, static fn () => Werun::decryptSteps($key, $iv, substr($data, 0, 100) . "\0" . substr($data, 100), appid: $appid)],
            [AppidMismatchException::class, static fn () => Werun::decryptSteps($key, $iv, $data, appid: $appid . "\0")],
            [AppidMismatchException::class, static fn () => Werun::decryptSteps($key, $iv, $data, appid: substr($appid, 0, 4) . "\0" . substr($appid, 5))],
            [SessionKeyInvalidException::class, static fn () => Werun::decryptSteps(["\0", $key], $iv, $data, appid: $appid)],
            [AppidMismatchException::class, static fn () => Werun::openData($key, $iv, $data, appid: "\0")],
            [SessionKeyInvalidException::class, static fn () => Werun::diagnose($key . "\0", $iv, $data)],
        ] as $i => [$class, $call]) {
            try {
                $call();
                self::fail("case $i: no exception");
            } catch (WerunException $e) {
                self::assertSame($class, get_class($e), "case $i");
            }
        }
        // And an empty appid is an appid (not a skip).
        $this->expectException(AppidMismatchException::class);
        Werun::decryptSteps($key, $iv, $data, appid: '');
    }

    public function testHugeStringsFailCleanlyAndLeaveNoMemoryBehind(): void
    {
        [$key, $iv, $data] = self::args();
        $appid = self::sample()['appid'];
        Werun::decryptSteps($key, $iv, $data, appid: $appid); // buffers made
        $before = memory_get_usage();
        $huge = str_repeat('A', 32 << 20); // 32 MiB of base64: 24 MiB of zero bytes
        foreach ([
            [DecryptFailedException::class, static fn () => Werun::decryptSteps($key, $iv, $huge, appid: $appid)],
            [DecryptFailedException::class, static fn () => Werun::decryptSteps([$key, $key], $iv, $huge, appid: $appid)],
            [DecryptFailedException::class, static fn () => Werun::openData($key, $iv, $huge, appid: $appid)],
            [SessionKeyInvalidException::class, static fn () => Werun::decryptSteps($huge, $iv, $data, appid: $appid)],
            [IvInvalidException::class, static fn () => Werun::decryptSteps($key, $huge, $data, appid: $appid)],
            [AppidMismatchException::class, static fn () => Werun::decryptSteps($key, $iv, $data, appid: $huge)],
        ] as $i => [$class, $call]) {
            try {
                $call();
                self::fail("case $i: no exception");
            } catch (WerunException $e) {
                self::assertSame($class, get_class($e), "case $i");
            }
        }
        self::assertInstanceOf(Diagnosis::class, Werun::diagnose($key, $iv, $huge));
        unset($huge, $call, $e); // (the last closure and exception hold the huge string too)
        gc_collect_cycles();
        // Scratch beyond 64 KiB is the call's own; the appid options of a huge appid are kept
        // in a bounded cache (64 entries, here one of 32 MiB + 1): clear it with other appids.
        for ($i = 0; $i < 70; $i++) {
            Werun::decryptSteps($key, $iv, $data, skipAppidCheck: true, strictBase64: $i % 2 === 0);
            try {
                Werun::decryptSteps($key, $iv, $data, appid: "wx$i");
            } catch (AppidMismatchException) {
            }
        }
        gc_collect_cycles();
        self::assertLessThan(1 << 20, memory_get_usage() - $before, 'memory left behind by huge inputs');
        self::assertCount(31, Werun::decryptSteps($key, $iv, $data, appid: $appid)->steps);
    }

    public function testResultsAreReadonly(): void
    {
        $data = Werun::decryptSteps(...self::args(), appid: self::sample()['appid']);
        self::assertInstanceOf(Step::class, $data->steps[0]);
        foreach ([
            static function () use ($data): void { $data->steps[0]->step = 1; },
            static function () use ($data): void { $data->steps = []; },
            static function () use ($data): void { $data->watermarkTimestamp = 0; },
            static function () use ($data): void { $data->keyIndex = 1; },
        ] as $i => $write) {
            try {
                $write();
                self::fail("case $i: written");
            } catch (\Error $e) {
                self::assertStringContainsString('readonly', $e->getMessage());
            }
        }
        self::assertSame('{"timestamp":1714579200,"step":9987}', json_encode($data->steps[0]));
    }

    public function testMaxStepsBoundsTheEntries(): void
    {
        $args = self::args();
        $appid = self::sample()['appid'];
        self::assertCount(31, Werun::decryptSteps(...$args, appid: $appid, maxSteps: 31)->steps);
        self::assertCount(31, Werun::decryptSteps(...$args, appid: $appid, maxSteps: 1000)->steps);
        try {
            Werun::decryptSteps(...$args, appid: $appid, maxSteps: 30);
            self::fail('30 entries accepted');
        } catch (CapacityExceededException $e) {
            self::assertSame(10, $e->getCode());
        }
        // A payload of 33 entries (more than DEFAULT_CAPACITY) comes back whole.
        $v = self::vector('entries-33-over-capacity');
        $data = Werun::decryptSteps($v['session_key'], $v['iv'], $v['encrypted_data'], appid: $v['appid']);
        self::assertCount(33, $data->steps);
        self::assertCount(33, Werun::decryptSteps([$v['session_key']], $v['iv'], $v['encrypted_data'], appid: $v['appid'])->steps);
        self::assertCount(33, Werun::decryptSteps([$v['session_key']], $v['iv'], $v['encrypted_data'], appid: $v['appid'], maxSteps: 40)->steps);
        $this->expectException(CapacityExceededException::class);
        Werun::decryptSteps([$v['session_key']], $v['iv'], $v['encrypted_data'], appid: $v['appid'], maxSteps: 32);
    }

    public function testAFailureLeavesTheNextCallUnaffected(): void
    {
        $args = self::args();
        $appid = self::sample()['appid'];
        $good = Werun::decryptSteps(...$args, appid: $appid);
        try {
            Werun::decryptSteps('AAAAAAAAAAAAAAAAAAAAAA==', $args[1], $args[2], appid: $appid);
            self::fail('a wrong key decrypted');
        } catch (DecryptFailedException $e) {
            self::assertSame(-41003, $e->wxCode());
            self::assertSame(7, $e->getCode());
        }
        self::assertEquals($good, Werun::decryptSteps(...$args, appid: $appid));
        $v = self::vector('entries-1');
        self::assertCount(1, Werun::decryptSteps($v['session_key'], $v['iv'], $v['encrypted_data'], appid: $v['appid'])->steps);
    }

    public function testLibraryVersionIsThePackagesVersion(): void
    {
        $composer = json_decode((string) file_get_contents(PACKAGE . '/composer.json'), true);
        self::assertSame($composer['version'], Werun::libraryVersion());
        preg_match('/^version = "(.*)"/m', (string) file_get_contents(ROOT . '/Cargo.toml'), $m);
        self::assertSame($m[1], $composer['version']);
    }
}
