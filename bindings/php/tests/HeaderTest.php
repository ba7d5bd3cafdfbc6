<?php

// werun.ffi.h, src/Abi.php, src/Status.php and src/Diagnosis.php are generated from
// include/werun.h by gen-header.php: stale files fail here; the generation resolves what
// PHP's FFI parser cannot read, and refuses what it does not know.

declare(strict_types=1);

namespace Werun\Tests;

use PHPUnit\Framework\TestCase;
use Werun\Abi;
use Werun\Ffi;

require_once PACKAGE . '/gen-header.php';

final class HeaderTest extends TestCase
{
    private static function header(): string
    {
        return (string) file_get_contents(ROOT . '/include/werun.h');
    }

    public function testGeneratedFilesAreUpToDate(): void
    {
        foreach (\Werun\Build\generate(self::header()) as $path => $content) {
            self::assertSame($content, file_get_contents(PACKAGE . "/$path"),
                "bindings/php/$path is stale: run `php bindings/php/gen-header.php` and commit it");
        }
        [$status, $out, $err] = php([PACKAGE . '/gen-header.php', '--check']);
        self::assertSame(0, $status, $err);
    }

    public function testTheCheckFailsWhenTheHeaderChanges(): void
    {
        // A status added to the C enum: the committed Status.php no longer matches.
        $changed = str_replace("  WERUN_STATUS_INVALID_ARGUMENT = 12,\n",
            "  WERUN_STATUS_INVALID_ARGUMENT = 12,\n  // New.\n  WERUN_STATUS_SOMETHING_NEW = 13,\n", self::header());
        self::assertNotSame($changed, self::header());
        $generated = \Werun\Build\generate($changed);
        self::assertStringContainsString('case SOMETHING_NEW = 13;', $generated['src/Status.php']);
        self::assertNotSame($generated['src/Status.php'], file_get_contents(PACKAGE . '/src/Status.php'));
        // A function whose text parameters changed, a new constant: the header and Abi.php.
        $changed = str_replace('#define WERUN_MAX_CANDIDATE_KEYS 4', '#define WERUN_MAX_CANDIDATE_KEYS 8', self::header());
        self::assertStringContainsString('MAX_CANDIDATE_KEYS = 8;', \Werun\Build\generate($changed)['src/Abi.php']);
    }

    public function testTheFfiHeaderIsWhatFfiCanRead(): void
    {
        $h = (string) file_get_contents(PACKAGE . '/werun.ffi.h');
        self::assertStringStartsWith("#define FFI_SCOPE \"WERUN\"\n", $h);
        self::assertSame(1, preg_match_all('/^\s*#/m', $h), 'a preprocessor line besides FFI_SCOPE');
        self::assertStringContainsString('typedef uint32_t werun_status;', $h);
        self::assertStringNotContainsString('202311L', $h);
        self::assertStringNotContainsString('__cplusplus', $h);
        self::assertDoesNotMatchRegularExpression('/const uint8_t \*(session_key|iv|encrypted_data)\b/', $h);
        // Every function of werun.h is declared.
        preg_match_all('/^\S.*?\b(werun_\w+)\(/m', self::header(), $m);
        self::assertNotEmpty($m[1]);
        $ffi = \FFI::cdef(Ffi::declarations(), library());
        foreach ($m[1] as $fn) {
            self::assertMatchesRegularExpression("/\\b$fn\\(/", $h, $fn);
        }
        self::assertSame(Abi::ABI_VERSION, $ffi->werun_abi_version());
    }

    /** Why the header is generated: FFI cannot read include/werun.h itself. */
    public function testFfiCannotReadTheCbindgenHeader(): void
    {
        $this->expectException(\FFI\ParserException::class);
        \FFI::cdef(self::header(), library());
    }

    public function testConditionsAreResolvedAsC17AndUnknownOnesRefused(): void
    {
        [$body] = \Werun\Build\preprocess("#if __STDC_VERSION__ >= 201112L\nint a;\n#else\nint b;\n#endif\n#ifdef __cplusplus\nint c;\n#endif\n");
        self::assertSame("int a;\n", $body);
        foreach (["#pragma once\n", "#if FOO(1)\n#endif\n", "#if 1\n", "#else\n"] as $bad) {
            try {
                \Werun\Build\preprocess($bad);
                self::fail("accepted: $bad");
            } catch (\RuntimeException $e) {
                self::assertStringStartsWith('gen-header:', $e->getMessage());
            }
        }
        $this->expectException(\RuntimeException::class);
        \Werun\Build\generate(str_replace('#define WERUN_DEFAULT_CAPACITY 32', '#define WERUN_DEFAULT_CAPACITY (16 * 2)', self::header()));
    }
}
