package io.hotpass.ingest.upload;

import io.hotpass.platform.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.NotOfficeXmlFileException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;

/**
 * Reads one sheet of an XLSX workbook as records, a row at a time, without building the workbook:
 * POI opens the package (from a spooled file, since a zip's directory is at its end) and gives the
 * shared strings and styles; the sheet's XML is pulled with StAX from POI's hardened factory (no
 * DTDs, no external entities). POI's zip guards refuse entries that inflate more than
 * {@link #MIN_INFLATE_RATIO}'s inverse or past {@code maxEntryBytes}.
 *
 * <p>Cells become text as a person would type them: shared and inline strings as they are,
 * booleans {@code true}/{@code false}, numbers in plain notation ({@code 27821234567}, never
 * {@code 2.78E10}), numbers with a date format as ISO dates ({@code 2023-05-01}, or date-times when
 * the time is not midnight), formula cells as their cached result, error cells as their code
 * ({@code #DIV/0!}). The first row with any value is the header; entirely empty rows are skipped;
 * missing trailing cells are empty. A record's line is the spreadsheet row number.
 */
final class XlsxRecords {

    /** A part may inflate at most 1/ratio times its compressed size (POI's default is 0.01). */
    static final double MIN_INFLATE_RATIO = 0.005;

    private XlsxRecords() {
    }

    static RecordSource open(Path file, String sheetName, int maxColumns, int maxFieldChars, long maxEntryBytes,
            Map<String, Object> meta) {
        ZipSecureFile.setMinInflateRatio(MIN_INFLATE_RATIO);
        ZipSecureFile.setMaxEntrySize(maxEntryBytes);
        OPCPackage pkg = null;
        InputStream sheet = null;
        try {
            pkg = OPCPackage.open(file.toFile(), PackageAccess.READ);
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
            StylesTable styles = reader.getStylesTable();
            boolean date1904 = date1904(reader);
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            List<String> names = new ArrayList<>();
            while (sheets.hasNext()) {
                InputStream s = sheets.next();
                String name = sheets.getSheetName();
                if (sheetName == null || sheetName.isBlank() ? names.isEmpty() : name.equals(sheetName)) {
                    sheet = s;
                    meta.put("sheet", name);
                    break;
                }
                names.add(name);
                s.close();
            }
            if (sheet == null) {
                if (sheetName == null || sheetName.isBlank()) {
                    throw invalid("The workbook has no sheets");
                }
                throw new ProblemException(422, "sheet_not_found", "Sheet not found", "The workbook has no sheet named '"
                        + sheetName + "'; its sheets are " + names)
                        .with("errors", List.of(Map.of("field", "sheet", "reason", "no such sheet")))
                        .with("sheets", names);
            }
            XMLStreamReader xml = XMLHelper.newXMLInputFactory().createXMLStreamReader(sheet);
            Rows rows = new Rows(xml, strings, styles, date1904, maxColumns, maxFieldChars);
            List<String> header = null;
            while (header == null) {
                RecordSource.Rec first = rows.read();
                if (first == null) {
                    throw new ProblemException(422, "empty_file", "Empty file", "The sheet has no header row and no rows");
                }
                header = first.fields();
            }
            int width = header.size();
            rows.width = width;
            OPCPackage opened = pkg;
            InputStream stream = sheet;
            return RecordSource.of(header.stream().map(h -> h == null ? "" : h).toList(), rows, () -> {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // closing the stream below is what matters
                }
                stream.close();
                opened.revert();
            });
        } catch (ProblemException e) {
            closeQuietly(sheet, pkg);
            throw e;
        } catch (NotOfficeXmlFileException | InvalidFormatException e) {
            closeQuietly(sheet, pkg);
            throw invalid("The file is not an XLSX workbook (an Office Open XML spreadsheet)");
        } catch (IOException | OpenXML4JException | XMLStreamException | org.xml.sax.SAXException
                | RuntimeException e) {
            closeQuietly(sheet, pkg);
            throw invalid(reason(e));
        }
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(422, "invalid_xlsx", "Invalid XLSX workbook", detail);
    }

    /** What went wrong inside a workbook, in words that name no internals. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("Zip bomb")) {
                return "A part of the workbook expands far beyond its compressed size (a zip bomb?); refused";
            }
            if (m.contains("exceeds the max entry size") || m.contains("max entry size")) {
                return "A part of the workbook is larger than this service accepts";
            }
            if (t instanceof XMLStreamException) {
                return "The workbook's XML is malformed or uses features refused here (DTDs, entities): "
                        + m.replaceAll("\\s+", " ");
            }
        }
        return "The workbook could not be read: " + e.getClass().getSimpleName();
    }

    private static void closeQuietly(InputStream sheet, OPCPackage pkg) {
        try {
            if (sheet != null) {
                sheet.close();
            }
        } catch (IOException ignored) {
            // nothing more to do
        }
        if (pkg != null) {
            pkg.revert();
        }
    }

    private static boolean date1904(XSSFReader reader) throws IOException, OpenXML4JException, XMLStreamException {
        try (InputStream wb = reader.getWorkbookData()) {
            XMLStreamReader x = XMLHelper.newXMLInputFactory().createXMLStreamReader(wb);
            try {
                while (x.hasNext()) {
                    if (x.next() == XMLStreamConstants.START_ELEMENT && "workbookPr".equals(x.getLocalName())) {
                        String v = x.getAttributeValue(null, "date1904");
                        return "1".equals(v) || "true".equalsIgnoreCase(v);
                    }
                    if (x.isStartElement() && "sheets".equals(x.getLocalName())) {
                        return false;
                    }
                }
                return false;
            } finally {
                x.close();
            }
        }
    }

    /** Pulls rows of a sheet's XML. */
    static final class Rows implements Iterator<RecordSource.Rec> {
        private final XMLStreamReader xml;
        private final ReadOnlySharedStringsTable strings;
        private final StylesTable styles;
        private final boolean date1904;
        private final int maxColumns;
        private final int maxFieldChars;
        int width = -1;
        private RecordSource.Rec next;
        private boolean done;
        private long lastRow;

        Rows(XMLStreamReader xml, ReadOnlySharedStringsTable strings, StylesTable styles, boolean date1904,
                int maxColumns, int maxFieldChars) {
            this.xml = xml;
            this.strings = strings;
            this.styles = styles;
            this.date1904 = date1904;
            this.maxColumns = maxColumns;
            this.maxFieldChars = maxFieldChars;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                next = read();
                done = next == null;
            }
            return next != null;
        }

        @Override
        public RecordSource.Rec next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RecordSource.Rec r = next;
            next = null;
            return r;
        }

        /** The next row with any non-empty cell, or null at the end of the sheet. */
        RecordSource.Rec read() {
            try {
                while (xml.hasNext()) {
                    int ev = xml.next();
                    if (ev == XMLStreamConstants.START_ELEMENT && "row".equals(xml.getLocalName())) {
                        String r = xml.getAttributeValue(null, "r");
                        long line = r == null ? lastRow + 1 : Long.parseLong(r);
                        lastRow = line;
                        List<String> cells = row();
                        if (cells.stream().anyMatch(c -> c != null && !c.isEmpty())) {
                            return new RecordSource.Rec(line, shape(cells), null, null);
                        }
                    } else if (ev == XMLStreamConstants.END_ELEMENT && "sheetData".equals(xml.getLocalName())) {
                        return null;
                    }
                }
                return null;
            } catch (XMLStreamException | RuntimeException e) {
                if (e instanceof ProblemException p) {
                    throw p;
                }
                throw invalid(reason(e));
            }
        }

        /** Pads a short row to the header's width and drops empty cells past it (a longer row stays ragged). */
        private List<String> shape(List<String> cells) {
            if (width < 0) {
                while (!cells.isEmpty() && (cells.get(cells.size() - 1) == null || cells.get(cells.size() - 1).isEmpty())) {
                    cells.remove(cells.size() - 1);
                }
                return cells;
            }
            while (cells.size() < width) {
                cells.add(null);
            }
            while (cells.size() > width && (cells.get(cells.size() - 1) == null || cells.get(cells.size() - 1).isEmpty())) {
                cells.remove(cells.size() - 1);
            }
            return cells;
        }

        private List<String> row() throws XMLStreamException {
            List<String> cells = new ArrayList<>();
            while (xml.hasNext()) {
                int ev = xml.next();
                if (ev == XMLStreamConstants.START_ELEMENT && "c".equals(xml.getLocalName())) {
                    String ref = xml.getAttributeValue(null, "r");
                    int col = ref == null ? cells.size() : column(ref);
                    if (col >= maxColumns) {
                        throw new ProblemException(422, "too_many_columns", "Too many columns",
                                "Row " + lastRow + " has a cell in column " + (col + 1) + ", past the limit of " + maxColumns);
                    }
                    String value = cell(xml.getAttributeValue(null, "t"), xml.getAttributeValue(null, "s"));
                    while (cells.size() < col) {
                        cells.add(null);
                    }
                    if (cells.size() == col) {
                        cells.add(value);
                    } else {
                        cells.set(col, value);
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT && "row".equals(xml.getLocalName())) {
                    return cells;
                }
            }
            return cells;
        }

        /** Reads one {@code <c>} element to its end and answers its text. */
        private String cell(String type, String style) throws XMLStreamException {
            StringBuilder v = null;
            StringBuilder inline = null;
            boolean inV = false;
            boolean inT = false;
            while (xml.hasNext()) {
                int ev = xml.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    String n = xml.getLocalName();
                    inV = "v".equals(n);
                    inT = "t".equals(n);
                    if (inV && v == null) {
                        v = new StringBuilder();
                    }
                    if (inT && inline == null) {
                        inline = new StringBuilder();
                    }
                } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
                    StringBuilder target = inV ? v : inT ? inline : null;
                    if (target != null) {
                        target.append(xml.getText());
                        if (target.length() > maxFieldChars) {
                            throw new ProblemException(413, "field_too_large", "Field too large",
                                    "A cell in row " + lastRow + " is longer than " + maxFieldChars + " characters");
                        }
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    String n = xml.getLocalName();
                    if ("c".equals(n)) {
                        break;
                    }
                    inV = false;
                    inT = false;
                }
            }
            String raw = v == null ? null : v.toString();
            if ("inlineStr".equals(type)) {
                return inline == null ? raw : inline.toString();
            }
            if (raw == null) {
                return null;
            }
            switch (type == null ? "n" : type) {
                case "s":
                    return strings.getItemAt(Integer.parseInt(raw.trim())).getString();
                case "b":
                    return "1".equals(raw.trim()) ? "true" : "false";
                case "str", "e", "d":
                    return raw;
                default:
                    return number(raw.trim(), style);
            }
        }

        private String number(String raw, String style) {
            if (raw.isEmpty()) {
                return raw;
            }
            if (style != null && styles != null) {
                XSSFCellStyle s = styles.getStyleAt(Integer.parseInt(style));
                if (s != null && DateUtil.isADateFormat(s.getDataFormat(), s.getDataFormatString())) {
                    double d = Double.parseDouble(raw);
                    if (DateUtil.isValidExcelDate(d)) {
                        LocalDateTime t = DateUtil.getLocalDateTime(d, date1904, true);
                        return t.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? t.toLocalDate().toString()
                                : t.toString();
                    }
                }
            }
            try {
                String plain = new BigDecimal(raw).stripTrailingZeros().toPlainString();
                return plain;
            } catch (NumberFormatException e) {
                return raw;
            }
        }

        /** {@code 0} for {@code A1}, {@code 27} for {@code AB12}. */
        static int column(String ref) {
            int col = 0;
            int i = 0;
            while (i < ref.length() && Character.isLetter(ref.charAt(i))) {
                col = col * 26 + (Character.toUpperCase(ref.charAt(i)) - 'A' + 1);
                i++;
            }
            return col - 1;
        }
    }

    /** Deletes a spooled upload; used when the record source closes. */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind is cleaned with the temp directory
        }
    }

}
