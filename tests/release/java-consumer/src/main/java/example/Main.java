package example;

import dev.werun.Options;
import dev.werun.Step;
import dev.werun.WeRunData;
import dev.werun.Werun;
import dev.werun.WerunException;

/** Main KEY IV APPID DATA: prints "timestamp step" per day; a werun failure exits with its status. */
public final class Main {
    public static void main(String[] args) {
        try {
            WeRunData data = Werun.decryptSteps(args[0], args[1], args[3], Options.forAppid(args[2]));
            for (Step day : data.steps()) System.out.println(day.timestamp() + " " + day.step());
        } catch (WerunException e) {
            System.err.println("werun: " + e.getMessage() + " (wx code " + e.wxCode() + ")");
            System.exit(e.code());
        }
    }
}
