package io.hotpass.chaos.workload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * The rows a drill uploads: an organisation-profile CSV whose header names are the profile's field
 * names, every row with a unique registration number (the dataset's row key) carrying the drill's
 * tag, so the zero-loss check knows exactly which rows must be there. A share of rows copy an
 * earlier row's name, email, phone and website under their own registration number, so the merge
 * plan has duplicates to resolve. Deterministic for a (tag, rows, share).
 */
public final class OrgRows {

    private static final String[] WORDS = {"Aero", "Sky", "Cape", "Karoo", "Eagle", "Falcon", "Summit", "Coastal", "Atlas", "Nova",
        "Orion", "Delta", "Table", "River", "Golden", "Phoenix", "Kestrel", "Harrier", "Condor", "Swift"};
    private static final String[] KINDS = {"Aviation", "Flight School", "Air Charter", "Aero Club", "Helicopters", "Airways"};
    private static final String[] CITIES = {"Cape Town", "Johannesburg", "Durban", "Pretoria", "George"};

    public final String tag;
    public final List<String> registrationNumbers;
    public final byte[] csv;

    public OrgRows(String tag, int rows, double duplicateShare) {
        this.tag = tag;
        Random r = new Random(tag.hashCode() * 31L + rows);
        StringBuilder sb = new StringBuilder(rows * 140);
        sb.append("name,email,phone,website,city,country,registration_number,fleet_size\n");
        List<String> ids = new ArrayList<>(rows);
        List<String[]> identities = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            String reg = tag + "/" + String.format("%07d", i);
            String[] id;
            if (i > 10 && r.nextDouble() < duplicateShare) {
                id = identities.get(r.nextInt(i));
            } else {
                String name = WORDS[r.nextInt(WORDS.length)] + " " + WORDS[r.nextInt(WORDS.length)] + " " + KINDS[r.nextInt(KINDS.length)] + " " + i;
                String host = "org" + i + "-" + tag.toLowerCase().replaceAll("[^a-z0-9]", "") + ".example.com";
                id = new String[] {name, "contact@" + host, String.format("+2721%07d", i % 10_000_000), "https://" + host + "/"};
            }
            identities.add(id);
            ids.add(reg);
            sb.append(id[0]).append(',').append(id[1]).append(',').append(id[2]).append(',').append(id[3]).append(',')
                    .append(CITIES[r.nextInt(CITIES.length)]).append(",ZA,").append(reg).append(',').append(r.nextInt(200)).append('\n');
        }
        this.registrationNumbers = List.copyOf(ids);
        this.csv = sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The same rows as a workbook of one sheet (header row, then one row per CSV record, every cell
     * text as in the CSV, so the stored rows are the same whichever file was sent), written with
     * POI's streaming writer.
     */
    public byte[] xlsx() {
        try (SXSSFWorkbook wb = new SXSSFWorkbook(200)) {
            Sheet sheet = wb.createSheet("organisations");
            String[] lines = new String(csv, StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                Row row = sheet.createRow(i);
                String[] cells = lines[i].split(",", -1); // generated values hold no comma or quote
                for (int c = 0; c < cells.length; c++) {
                    row.createCell(c).setCellValue(cells[c]);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(csv.length);
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the drill's workbook", e);
        }
    }
}
