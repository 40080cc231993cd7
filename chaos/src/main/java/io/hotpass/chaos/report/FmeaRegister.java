package io.hotpass.chaos.report;

import io.hotpass.chaos.drill.Journal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps the "last result" column of the FMEA register (docs/sre/fmea.md) current: the row whose
 * first cell is the drill's failure mode gets the date, scenario, verdict, MTTR and data lost of
 * the drill, with a link to its report. Other rows and text are left as they are.
 */
public final class FmeaRegister {

    private FmeaRegister() {
    }

    /** True when a row for the journal's failure mode was found and updated. */
    public static boolean update(Path register, Journal j, String reportLink) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(register));
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("| " + j.failureMode + " ")) {
                continue;
            }
            int last = line.lastIndexOf('|', line.length() - 2);
            if (last <= 0) {
                continue;
            }
            lines.set(i, line.substring(0, last + 1) + " " + cell(j, reportLink) + " |");
            found = true;
        }
        if (found) {
            Files.write(register, lines);
        } else {
            System.err.println("chaos: no row " + j.failureMode + " in " + register);
        }
        return found;
    }

    static String cell(Journal j, String reportLink) {
        String date = j.startedAt == null ? "?" : j.startedAt.substring(0, 10);
        String mttr = j.measures.mttrMs == null ? "–" : String.format(Locale.ROOT, "%.1f s", j.measures.mttrMs / 1000.0);
        String lost = j.zeroLoss == null ? "not checked" : Long.toString(j.zeroLoss.dataLost);
        Object rows = j.settings.get("rows");
        return date + " `" + j.scenario + "`" + (rows != null ? " (" + rows + " rows)" : "") + ": **" + j.verdict + "**, MTTR " + mttr + ", data lost "
                + lost + (reportLink != null && !reportLink.contains("target/") ? " ([report](" + reportLink + "))" : "");
    }
}
