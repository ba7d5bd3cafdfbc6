<?php

// Finding, loading and checking the library, each case in a child PHP process: WERUN_LIBRARY,
// the package's bundled lib/<os>-<arch>/libwerun.so, the ABI check (against stub libraries
// built here with cc), what is not libwerun, FFI disabled, and preloading under the CLI.

declare(strict_types=1);

namespace Werun\Tests;

use PHPUnit\Framework\TestCase;
use Werun\Ffi;

final class LoadingTest extends TestCase
{
    private static string $stubs;

    public static function setUpBeforeClass(): void
    {
        self::$stubs = tempDir('stubs', 0755); // (readable by the preload user)
        $sources = [
            'abi999' => 'unsigned werun_abi_version(void) { return 999; }',
            'abi1-only' => 'unsigned werun_abi_version(void) { return 1; }',
            'not-werun' => 'int something_else(void) { return 0; }',
        ];
        foreach ($sources as $name => $code) {
            file_put_contents(self::$stubs . "/$name.c", $code . "\n");
            exec('cc -shared -fPIC -o ' . escapeshellarg(self::$stubs . "/lib$name.so") . ' '
                . escapeshellarg(self::$stubs . "/$name.c") . ' 2>&1', $out, $status);
            if ($status !== 0) {
                throw new \RuntimeException('cc failed (install gcc): ' . implode("\n", $out));
            }
        }
    }

    /** A child process decrypting the sample: [exit status, output]. */
    private static function child(array $env, array $ini = [], ?string $src = null): array
    {
        $s = vectors()['sample'];
        $code = autoloadCode($src ?? PACKAGE . '/src') . '
            try {
                $d = Werun\Werun::decryptSteps(' . var_export($s['session_key'], true) . ', ' . var_export($s['iv'], true) . ', '
                    . var_export($s['encrypted_data'], true) . ', appid: ' . var_export($s['appid'], true) . ');
                echo count($d->steps), " ", Werun\Ffi::mode(), " ", Werun\Ffi::libraryPath();
            } catch (Werun\LoadException $e) {
                echo $e->getMessage();
                exit(3);
            }';
        $args = [];
        foreach ($ini as $k => $v) {
            $args[] = '-d';
            $args[] = "$k=$v";
        }
        [$status, $out, $err] = php([...$args, '-r', $code], $env);
        return [$status, $out . $err];
    }

    public function testWerunLibraryIsUsed(): void
    {
        [$status, $out] = self::child(['WERUN_LIBRARY' => library()]);
        self::assertSame(0, $status, $out);
        self::assertSame('31 cdef ' . realpath(library()), $out);
    }

    public function testAMissingWerunLibrarySaysSo(): void
    {
        [$status, $out] = self::child(['WERUN_LIBRARY' => '/nonexistent/libwerun.so']);
        self::assertSame(3, $status, $out);
        self::assertStringContainsString('WERUN_LIBRARY=/nonexistent/libwerun.so is not a file', $out);
        self::assertStringContainsString('unset it to use the library bundled with the package', $out);
    }

    public function testAnotherAbiVersionIsRefused(): void
    {
        [$status, $out] = self::child(['WERUN_LIBRARY' => self::$stubs . '/libabi999.so']);
        self::assertSame(3, $status, $out);
        self::assertStringContainsString('has ABI version 999 but this package needs 1', $out);
        self::assertStringContainsString('install a matching pair', $out);
    }

    public function testALibraryWithoutTheFunctionsIsRefused(): void
    {
        [$status, $out] = self::child(['WERUN_LIBRARY' => self::$stubs . '/libabi1-only.so']);
        self::assertSame(3, $status, $out);
        self::assertStringContainsString('is not libwerun, or is too old', $out);
        [$status, $out] = self::child(['WERUN_LIBRARY' => self::$stubs . '/libnot-werun.so']);
        self::assertSame(3, $status, $out);
        self::assertStringContainsString('it is not libwerun for ' . Ffi::platform(), $out);
        [$status, $out] = self::child(['WERUN_LIBRARY' => self::$stubs . '/abi999.c']);
        self::assertSame(3, $status, $out);
        self::assertStringContainsString('cannot load', $out);
    }

    public function testDisabledFfiSaysHowToEnableIt(): void
    {
        [$status, $out] = self::child(['WERUN_LIBRARY' => library()], ['ffi.enable' => '0']);
        self::assertSame(3, $status, $out);
        self::assertStringContainsString('FFI is disabled (ffi.enable=0)', $out);
        self::assertStringContainsString('opcache.preload=', $out);
    }

    /** The CLI may use FFI under ffi.enable=preload (the default): no preload needed there. */
    public function testTheCliNeedsNoPreload(): void
    {
        [$status, $out] = self::child(['WERUN_LIBRARY' => library()], ['ffi.enable' => 'preload']);
        self::assertSame(0, $status, $out);
        self::assertStringStartsWith('31 cdef ', $out);
    }

    /** A copy of the package outside the checkout: the bundled library, or a message saying what to do. */
    public function testTheBundledLibraryIsFoundOutsideTheCheckout(): void
    {
        $copy = tempDir('package');
        exec('cp -R ' . escapeshellarg(PACKAGE . '/src') . ' ' . escapeshellarg(PACKAGE . '/werun.ffi.h') . ' '
            . escapeshellarg($copy), $o, $rc);
        self::assertSame(0, $rc);
        [$status, $out] = self::child(['WERUN_LIBRARY' => null], [], "$copy/src");
        self::assertSame(3, $status, $out);
        self::assertStringContainsString("cannot find libwerun.so for " . Ffi::platform() . " (looked at: $copy/lib/"
            . Ffi::platform() . '/libwerun.so)', $out);
        self::assertStringContainsString('set WERUN_LIBRARY=', $out);
        mkdir("$copy/lib/" . Ffi::platform(), 0755, true);
        copy(library(), "$copy/lib/" . Ffi::platform() . '/libwerun.so');
        [$status, $out] = self::child(['WERUN_LIBRARY' => null], [], "$copy/src");
        self::assertSame(0, $status, $out);
        self::assertSame("31 cdef $copy/lib/" . Ffi::platform() . '/libwerun.so', $out);
        // WERUN_LIBRARY still overrides the bundled library (and has no fallback).
        [$status, $out] = self::child(['WERUN_LIBRARY' => self::$stubs . '/libabi999.so'], [], "$copy/src");
        self::assertSame(3, $status, $out);
    }

    /**
     * opcache.preload under the CLI, as PHP-FPM does it (FpmTest runs the real server): the
     * classes and the FFI scope come from preload.php, with php.ini's ffi.preload header when
     * the server starts as root.
     */
    public function testPreloadDeclaresTheScope(): void
    {
        $copy = installedCopy('preload');
        [$status, $out, $err] = php(["$copy/bin/werun-ffi-header", "$copy/werun.preload.h"], ['WERUN_LIBRARY' => null]);
        self::assertSame(0, $status, $err);
        self::assertStringContainsString("ffi.preload=$copy/werun.preload.h", $out);
        self::assertStringContainsString("opcache.preload=$copy/preload.php", $out);
        $ini = ['opcache.enable' => '1', 'opcache.enable_cli' => '1', 'opcache.preload' => "$copy/preload.php",
            'opcache.preload_user' => preloadUser(), 'ffi.enable' => 'preload'];
        $s = vectors()['sample'];
        $code = 'echo class_exists("Werun\\\\Werun", false) ? "preloaded " : "not preloaded ";
            $d = Werun\Werun::decryptSteps(' . var_export($s['session_key'], true) . ', ' . var_export($s['iv'], true) . ', '
            . var_export($s['encrypted_data'], true) . ', appid: ' . var_export($s['appid'], true) . ');
            echo count($d->steps), " ", Werun\Ffi::mode();';
        $run = static function (array $ini, array $env = ['WERUN_LIBRARY' => null]) use ($code): array {
            $args = [];
            foreach ($ini as $k => $v) {
                array_push($args, '-d', "$k=$v");
            }
            return php([...$args, '-r', $code], $env);
        };
        // With the ffi.preload header (what a root-started PHP-FPM needs).
        [$status, $out, $err] = $run($ini + ['ffi.preload' => "$copy/werun.preload.h"]);
        self::assertSame(0, $status, $out . $err);
        self::assertSame('preloaded 31 scope', $out, $err);
        // preload.php alone: FFI::load() declares the scope, except when started as root.
        [$status, $out, $err] = $run($ini);
        if (posix_geteuid() === 0) {
            self::assertNotSame(0, $status);
            self::assertStringContainsString('add ffi.preload=/path/to/werun.h to php.ini', $out . $err);
        } else {
            self::assertSame(0, $status, $out . $err);
            self::assertSame('preloaded 31 scope', $out, $err);
        }
        // A wrong library stops the start, with the reason.
        [$status, $out, $err] = $run($ini, ['WERUN_LIBRARY' => self::$stubs . '/libabi999.so']);
        self::assertNotSame(0, $status);
        self::assertStringNotContainsString('preloaded', $out);
        self::assertStringContainsString('has ABI version 999', $out . $err);
    }
}
