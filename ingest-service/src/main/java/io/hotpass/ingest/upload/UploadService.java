package io.hotpass.ingest.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.CsvRecordHandler;
import io.hotpass.ingest.lineage.LineageEvents;
import io.hotpass.ingest.profile.ColumnInference;
import io.hotpass.ingest.profile.ColumnInference.ColumnMapping;
import io.hotpass.ingest.profile.Profile;
import io.hotpass.ingest.profile.Profiles;
import io.hotpass.ingest.run.RunProgress;
import io.hotpass.ingest.run.RunService;
import io.hotpass.ingest.run.RunStates;
import io.hotpass.ingest.version.CopyText;
import io.hotpass.ingest.version.DatasetRef;
import io.hotpass.ingest.version.VersionStore;
import io.hotpass.ingest.version.VersionView;
import io.hotpass.platform.http.ETags;
import io.hotpass.platform.outbox.Outbox;
import io.hotpass.platform.problem.ProblemException;
import io.hotpass.platform.tenancy.TenantSession;
import jakarta.annotation.PreDestroy;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Streams an upload into a new version. The request body is parsed as it arrives; canonical rows
 * and quarantine entries are written with one {@code COPY ... FROM STDIN} (buffered, so in
 * batches) into a transaction-local staging table; the version is then made from the staging table
 * in the same transaction. A failure anywhere rolls everything back: never half a version. Memory
 * is bounded by the parser's record limit and the COPY buffer, not by the file.
 */
@Startup // registers its metrics at start: the dashboard shows zero, not "no data"
@ApplicationScoped
public class UploadService {

    private static final Logger LOG = Logger.getLogger(UploadService.class);
    static final int SAMPLE_ROWS = 50;
    static final int PREVIEW_ROWS = 20;
    static final int BATCH_ROWS = 1000;
    static final int MAX_IN_FLIGHT = 6;

    /** Normalises batches of records off the request thread; sized to the cores. */
    private final ExecutorService workers = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "ingest-normalise");
                t.setDaemon(true);
                return t;
            });

    @Inject
    DataSource dataSource;

    /** Rows of committed uploads (the dashboard's "ingest rows/s"), counted once their version commits. */
    private Counter rowsStored;
    private Counter rowsQuarantined;

    @Inject
    void registerMetrics(MeterRegistry metrics) {
        rowsStored = Counter.builder("hotpass.ingest.rows").tag("outcome", "stored")
                .description("Rows of committed uploads, by outcome").register(metrics);
        rowsQuarantined = Counter.builder("hotpass.ingest.rows").tag("outcome", "quarantined")
                .description("Rows of committed uploads, by outcome").register(metrics);
    }

    @Inject
    Profiles profiles;

    @Inject
    VersionStore versions;

    @Inject
    RunService runs;

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "hotpass.ingest.upload.max-columns", defaultValue = "1000")
    int maxColumns;

    @ConfigProperty(name = "hotpass.ingest.upload.max-field-chars", defaultValue = "1048576")
    int maxFieldChars;

    @ConfigProperty(name = "hotpass.ingest.upload.max-record-chars", defaultValue = "4194304")
    int maxRecordChars;

    @ConfigProperty(name = "hotpass.ingest.upload.copy-buffer-bytes", defaultValue = "262144")
    int copyBufferBytes;

    @ConfigProperty(name = "hotpass.ingest.upload.progress-interval-ms", defaultValue = "1000")
    long progressIntervalMs;

    /**
     * Where XLSX uploads are spooled while they are read (deleted afterwards); default
     * {@code <java.io.tmpdir>/hotpass-ingest}, computed in {@link #spoolDir()} — an expression in an
     * injection point's defaultValue is not expanded (it spooled to a folder literally named
     * {@code ${java.io.tmpdir}} under the working directory, which the disk-full drill found).
     */
    @ConfigProperty(name = "hotpass.ingest.upload.spool-dir")
    Optional<Path> configuredSpoolDir;

    Path spoolDir() {
        return configuredSpoolDir.orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "hotpass-ingest"));
    }

    /** The largest part (e.g. a sheet's XML) an XLSX workbook may inflate to. */
    @ConfigProperty(name = "hotpass.ingest.upload.xlsx-max-entry-bytes", defaultValue = "4294967295")
    long maxXlsxEntryBytes;

    /** Parses the first rows and answers the mapping and sample normalised rows; stores nothing. */
    public PreviewView preview(String tenant, UUID datasetId, UploadOptions o, InputStream body) {
        DatasetRef d = runs.inTenant(tenant, c -> versions.dataset(c, tenant, datasetId, false));
        Profile profile = profiles.get(d.profile());
        try (Opened input = open(body, o); RecordSource src = input.records()) {
            {
                Iterator<RecordSource.Rec> it = src.records;
                List<String> headers = headers(src.headers);
                List<List<String>> sample = new ArrayList<>();
                List<Long> lines = new ArrayList<>();
                while (sample.size() < SAMPLE_ROWS && it.hasNext()) {
                    RecordSource.Rec r = it.next();
                    if (r.fields() != null) {
                        sample.add(r.fields());
                        lines.add(r.line());
                    }
                }
                List<ColumnMapping> mapping = mapping(profile, headers, sample, o.mapping());
                RowNormaliser rows = new RowNormaliser(profile, headers, mapping, d.rowKey());
                List<Map<String, Object>> out = new ArrayList<>();
                for (int i = 0; i < Math.min(PREVIEW_ROWS, sample.size()); i++) {
                    out.add(previewRow(rows, headers, sample.get(i), lines.get(i)));
                }
                Set<String> mapped = new HashSet<>();
                mapping.stream().filter(m -> m.field() != null).forEach(m -> mapped.add(m.field()));
                return new PreviewView(profile.name(), (String) input.meta().get("encoding"),
                        (String) input.meta().get("delimiter"), mapping,
                        mapping.stream().filter(m -> m.field() == null).map(ColumnMapping::source).toList(),
                        profile.fieldNames().stream().filter(f -> !mapped.contains(f)).toList(), out, sample.size());
            }
        } catch (Exception e) {
            throw problem(e);
        }
    }

    private Map<String, Object> previewRow(RowNormaliser rows, List<String> headers, List<String> cells, long line)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", line);
        if (cells.size() != headers.size()) {
            m.put("quarantine", List.of(Map.of("reason", "ragged_row")));
            return m;
        }
        RowNormaliser.Outcome out = rows.normalise(cells);
        if (out.quarantined()) {
            m.put("quarantine", out.issues());
        } else {
            m.put("row", json.readTree(out.json()));
        }
        return m;
    }

    /** Stores an upload as a new version (or answers the current one for byte-identical content). */
    public UploadResult upload(String tenant, String subject, UUID datasetId, UploadOptions o, InputStream body) {
        DatasetRef first = check(tenant, datasetId, o);
        Profile profile = profiles.get(first.profile());
        RunProgress run = runs.start(tenant, datasetId, first.name(), o.mode(), o.format(), o.fileName(), subject,
                o.contentLength());
        try {
            UploadResult r = store(tenant, subject, first, profile, o, body, run, null);
            runs.finished(run);
            return r;
        } catch (Exception e) {
            ProblemException p = problem(e);
            if (p.status() >= 500) {
                LOG.errorf(e, "Upload run %s failed", run.id);
            } else if ("upload_interrupted".equals(p.code())) {
                LOG.warnf(e, "Upload run %s could not read its request body", run.id);
            }
            runs.fail(run, first.name(), p.code(), p.getMessage());
            throw p.with("runId", run.id.toString());
        }
    }

    /**
     * What an upload checks before it reads its body, synchronous or asynchronous (at accept time):
     * the dataset (404), a row key for incremental uploads (422) and If-Match (412). Answers the dataset.
     */
    public DatasetRef check(String tenant, UUID datasetId, UploadOptions o) {
        DatasetRef first = runs.inTenant(tenant, c -> versions.dataset(c, tenant, datasetId, false));
        profiles.get(first.profile());
        if (UploadOptions.INCREMENTAL.equals(o.mode()) && first.rowKey().isEmpty()) {
            throw new ProblemException(422, "row_key_required", "Row key required",
                    "mode: incremental uploads need a dataset with a rowKey to match rows by")
                    .with("errors", List.of(Map.of("field", "mode", "reason", "dataset has no rowKey")));
        }
        ETags.checkIfMatch(o.ifMatch(), first.etag(), false);
        return first;
    }

    /** Checks a text upload's declared encoding and delimiter without reading it (400 naming the option). */
    public static void checkTextOptions(UploadOptions o) {
        CsvInput.checkOptions(o.encoding(), o.delimiter());
    }

    /**
     * Stores a staged upload (an asynchronous one, run by a runner) as a new version: the same checks,
     * parsing, mapping, quarantine and one-transaction version as {@link #upload}, on the run created
     * when it was accepted. {@code beforeCommit} runs on the version's connection just before it
     * commits (the runner's fence: it closes the queue row and drops the staged file, or throws so
     * that nothing is written). Failures are thrown as they come; {@link #problem} maps them.
     */
    public UploadResult storeStaged(String tenant, String subject, UUID datasetId, UploadOptions o, InputStream body,
            RunProgress run, RunService.SqlWork<Void> beforeCommit) throws Exception {
        DatasetRef first = check(tenant, datasetId, o);
        return store(tenant, subject, first, profiles.get(first.profile()), o, body, run, beforeCommit);
    }

    private UploadResult store(String tenant, String subject, DatasetRef first, Profile profile, UploadOptions o,
            InputStream body, RunProgress run, RunService.SqlWork<Void> beforeCommit) throws Exception {
        MessageDigest sha = sha256();
        InputStream counted = new CountingInputStream(new DigestInputStream(body, sha), run);
        run.state = RunStates.PARSING;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                TenantSession.apply(c, tenant);
                // The first version of a dataset without a row key needs no comparison with anything: its rows
                // are inserted straight into dataset_row while the file arrives (the dataset is locked until the
                // commit, so the version number is known). Everything else goes through the staging table.
                Direct direct = null;
                if (first.currentVersion() == 0 && first.rowKey().isEmpty()
                        && versions.dataset(c, tenant, first.id(), true).currentVersion() == 0) {
                    direct = new Direct(tenant, first.id(), 1);
                } else {
                    try (Statement st = c.createStatement()) {
                        st.execute("create temp table upload_staging (line bigint, row_id text, row_hash text, data text,"
                                + " q_field text, q_raw text, q_reason text) on commit drop");
                    }
                }
                List<String> headers;
                List<ColumnMapping> mapping;
                long quarantinedLines = 0;
                long stored = 0;
                Map<String, Object> inputMeta;
                try (Opened input = open(counted, o); RecordSource src = input.records()) {
                    inputMeta = input.meta();
                    Iterator<RecordSource.Rec> it = src.records;
                    headers = headers(src.headers);
                    List<RecordSource.Rec> sample = new ArrayList<>();
                    while (sample.size() < SAMPLE_ROWS && it.hasNext()) {
                        sample.add(it.next());
                    }
                    if (sample.isEmpty()) {
                        throw new ProblemException(422, "no_rows", "No rows",
                                "The file has a header line but no data rows; nothing was stored");
                    }
                    mapping = mapping(profile, headers, sample.stream().filter(r -> r.fields() != null)
                            .map(RecordSource.Rec::fields).toList(), o.mapping());
                    for (String k : first.rowKey()) {
                        if (mapping.stream().noneMatch(m -> k.equals(m.field()))) {
                            throw new ProblemException(422, "row_key_unmapped", "Row key column missing",
                                    "No column of the file maps to the row key field '" + k + "'; pass a mapping")
                                    .with("errors", List.of(Map.of("field", "mapping", "reason", "row key field " + k + " unmapped")));
                        }
                    }
                    run.state = RunStates.MAPPED;
                    runs.save(run);
                    String idPrefix = run.id.toString().substring(0, 8) + ".";
                    Direct target = direct;
                    CopyIn copy = target != null ? null : c.unwrap(PGConnection.class).getCopyAPI().copyIn(STAGING_COPY);
                    try (PGCopyOutputStream out = copy == null ? null : new PGCopyOutputStream(copy, copyBufferBytes);
                            PreparedStatement rowInsert = target == null ? null : c.prepareStatement(ColumnBatch.ROWS);
                            PreparedStatement quarantineInsert = target == null ? null : c.prepareStatement(ColumnBatch.QUARANTINE)) {
                        // Three stages overlap: this thread reads and parses records; the worker pool normalises
                        // batches of them; one writer thread per upload (the connection's only user meanwhile)
                        // writes the batches in file order — to the staging COPY, or straight into the tables —
                        // while the database works on them. At most MAX_IN_FLIGHT batches exist at a time.
                        Deque<Future<Batch>> inFlight = new ArrayDeque<>();
                        ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
                            Thread t = new Thread(r, "ingest-write-" + run.id.toString().substring(0, 8));
                            t.setDaemon(true);
                            return t;
                        });
                        try {
                            long lastSave = System.nanoTime();
                            Iterator<RecordSource.Rec> all = concat(sample.iterator(), it);
                            List<RecordSource.Rec> batch = new ArrayList<>(BATCH_ROWS);
                            while (all.hasNext()) {
                                batch.add(all.next());
                                run.rowsRead.incrementAndGet();
                                if (batch.size() == BATCH_ROWS || !all.hasNext()) {
                                    List<RecordSource.Rec> work = batch;
                                    Future<Batch> normalised = workers.submit(() -> normalise(profile, headers, mapping,
                                            first.rowKey(), idPrefix, target, work));
                                    inFlight.add(writer.submit(() -> {
                                        Batch done = await(normalised);
                                        if (target == null) {
                                            out.write(done.copy());
                                        } else {
                                            done.columns().insert(rowInsert, quarantineInsert, target.tenant(),
                                                    target.dataset(), target.version());
                                        }
                                        return done;
                                    }));
                                    batch = new ArrayList<>(BATCH_ROWS);
                                }
                                while (inFlight.size() >= MAX_IN_FLIGHT || (!all.hasNext() && !inFlight.isEmpty())) {
                                    Batch done = await(inFlight.poll());
                                    stored += done.stored();
                                    quarantinedLines += done.quarantined();
                                    run.rowsStored.addAndGet(done.stored());
                                    run.rowsQuarantined.addAndGet(done.quarantined());
                                }
                                if (System.nanoTime() - lastSave > progressIntervalMs * 1_000_000L) {
                                    runs.save(run);
                                    lastSave = System.nanoTime();
                                }
                            }
                        } catch (Exception e) {
                            // The connection is about to be rolled back: no batch may still be writing on it.
                            inFlight.forEach(f -> f.cancel(false));
                            writer.shutdown();
                            if (!writer.awaitTermination(2, TimeUnit.MINUTES)) {
                                LOG.errorf("Upload run %s: a batch was still being written two minutes after the upload failed",
                                        run.id);
                            }
                            throw e;
                        } finally {
                            writer.shutdown();
                        }
                        if (stored == 0 && quarantinedLines == 0) {
                            throw new ProblemException(422, "no_rows", "No rows", "The file has no data rows; nothing was stored");
                        }
                    } catch (Exception e) {
                        if (copy != null && copy.isActive()) {
                            copy.cancelCopy();
                        }
                        throw e;
                    }
                    // The digest covers every byte of the request, including any after the last record.
                    counted.transferTo(OutputStreamNull.INSTANCE);
                }
                String sha256 = HexFormat.of().formatHex(sha.digest());
                run.state = RunStates.COMMITTING;
                runs.save(run);
                long parsedAt = System.nanoTime();
                UploadResult result = direct == null
                        ? commit(c, tenant, subject, first, profile, o, run, mapping, inputMeta, sha256, quarantinedLines)
                        : commitDirect(c, tenant, subject, first, profile, o, run, mapping, inputMeta, sha256, stored,
                                quarantinedLines);
                if (beforeCommit != null) {
                    beforeCommit.run(c);
                }
                c.commit();
                if (!result.deduplicated()) {
                    rowsStored.increment(run.rowsStored.get());
                    rowsQuarantined.increment(run.rowsQuarantined.get());
                }
                LOG.infof("Upload run %s: %d rows read, parsed and copied in %d ms, version %d committed in %d ms",
                        run.id, run.rowsRead.get(), (parsedAt - run.startNanos) / 1_000_000, result.version().number(),
                        (System.nanoTime() - parsedAt) / 1_000_000);
                return result;
            } catch (Exception e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** A first version copied straight into {@code dataset_row}: every stored row is new. */
    private UploadResult commitDirect(Connection c, String tenant, String subject, DatasetRef first, Profile profile,
            UploadOptions o, RunProgress run, List<ColumnMapping> mapping, Map<String, Object> inputMeta, String sha256,
            long stored, long quarantined) throws SQLException {
        DatasetRef d = versions.dataset(c, tenant, first.id(), true);
        ETags.checkIfMatch(o.ifMatch(), d.etag(), false);
        return record(c, tenant, subject, d, profile, o, run, mapping, inputMeta, sha256, stored, stored, 0, 0, quarantined, 0);
    }

    private UploadResult commit(Connection c, String tenant, String subject, DatasetRef first, Profile profile,
            UploadOptions o, RunProgress run, List<ColumnMapping> mapping, Map<String, Object> inputMeta,
            String sha256, long quarantinedLines) throws SQLException {
        DatasetRef d = versions.dataset(c, tenant, first.id(), true);
        ETags.checkIfMatch(o.ifMatch(), d.etag(), false);
        Integer same = versions.sameContent(c, d, sha256, mapping);
        if (same != null) {
            run.state = RunStates.STORED;
            runs.storeResult(c, run, same);
            return new UploadResult(run.id, true, versions.get(c, tenant, d.id(), same));
        }
        int n = d.currentVersion() + 1;
        if (d.currentVersion() > 0) {
            // Only comparing with an existing version looks rows up by id; a first version is a plain insert.
            try (Statement st = c.createStatement()) {
                st.execute("create index on upload_staging (row_id)");
                st.execute("analyze upload_staging");
            }
        }
        long duplicates = 0;
        if (!d.rowKey().isEmpty()) {
            // A row key seen twice in one file: the first occurrence wins, later ones go to quarantine.
            // (Sorting by the key's bytes, collate "C", groups equal keys as the default collation does, without
            // a strcoll call per comparison.)
            duplicates = exec(c, "update upload_staging s set q_field = ?, q_raw = s.row_id, q_reason = 'duplicate_row_key'"
                    + " from (select line, row_number() over (partition by row_id collate \"C\" order by line) rn"
                    + " from upload_staging where q_reason is null) x where s.line = x.line and x.rn > 1",
                    d.rowKey().get(0));
        } else if (d.currentVersion() > 0) {
            // Without a row key, an unchanged row keeps the id it was given when it first appeared.
            exec(c, "update upload_staging s set row_id = m.row_id from (select st.line, cur.row_id from"
                    + " (select line, row_hash, row_number() over (partition by row_hash order by line) rn"
                    + "  from upload_staging where q_reason is null) st join"
                    + " (select row_id, row_hash, row_number() over (partition by row_hash order by row_id) rn"
                    + "  from dataset_row where tenant_id = ? and dataset_id = ? and valid_to is null) cur"
                    + " on cur.row_hash = st.row_hash and cur.rn = st.rn) m where s.line = m.line",
                    tenant, d.id());
        }
        long quarantined = quarantinedLines + duplicates;
        exec(c, "insert into quarantine_row (tenant_id, dataset_id, version, line, field, raw_value, reason, raw_row)"
                + " select ?, ?, ?, line, q_field, q_raw, q_reason, data::jsonb from upload_staging where q_reason is not null",
                tenant, d.id(), n);
        long previous = versions.rowCount(c, d, d.currentVersion());
        long ended = 0;
        if (d.currentVersion() > 0) {
            if (UploadOptions.INCREMENTAL.equals(o.mode())) {
                ended = exec(c, "update dataset_row d set valid_to = ? from upload_staging s where d.tenant_id = ?"
                        + " and d.dataset_id = ? and d.valid_to is null and s.q_reason is null and s.row_id = d.row_id"
                        + " and s.row_hash <> d.row_hash", n, tenant, d.id());
            } else {
                ended = exec(c, "update dataset_row d set valid_to = ? where d.tenant_id = ? and d.dataset_id = ?"
                        + " and d.valid_to is null and not exists (select 1 from upload_staging s where s.q_reason is null"
                        + " and s.row_id = d.row_id and s.row_hash = d.row_hash)", n, tenant, d.id());
            }
        }
        // In row id order, the order of dataset_row's indexes: a file's keys come in any order, and inserted as
        // they came each would land somewhere else in both indexes (1,000,000 keyed rows: 14.5 -> 10.9 s).
        long inserted = exec(c, "insert into dataset_row (tenant_id, dataset_id, row_id, valid_from, row_hash, data)"
                + " select ?, ?, s.row_id, ?, s.row_hash, s.data from upload_staging s where s.q_reason is null"
                + (d.currentVersion() == 0 ? "" : " and not exists (select 1 from dataset_row d where d.tenant_id = ?"
                        + " and d.dataset_id = ? and d.valid_to is null and d.row_id = s.row_id)") + " order by s.row_id",
                d.currentVersion() == 0 ? new Object[] {tenant, d.id(), n} : new Object[] {tenant, d.id(), n, tenant, d.id()});
        long changed = 0;
        if (ended > 0 && inserted > 0) {
            changed = count(c, "select count(*) from dataset_row d where d.tenant_id = ? and d.dataset_id = ?"
                    + " and d.valid_from = ? and exists (select 1 from dataset_row o where o.tenant_id = d.tenant_id"
                    + " and o.dataset_id = d.dataset_id and o.valid_to = ? and o.row_id = d.row_id)", tenant, d.id(), n, n);
        }
        return record(c, tenant, subject, d, profile, o, run, mapping, inputMeta, sha256, previous - ended + inserted,
                inserted - changed, ended - changed, changed, quarantined, duplicates);
    }

    /** Records version {@code current + 1} of {@code d}, finishes the run and queues its lineage event. */
    private UploadResult record(Connection c, String tenant, String subject, DatasetRef d, Profile profile, UploadOptions o,
            RunProgress run, List<ColumnMapping> mapping, Map<String, Object> inputMeta, String sha256, long rowCount,
            long added, long removed, long changed, long quarantined, long duplicates) throws SQLException {
        int n = d.currentVersion() + 1;
        List<Map<String, String>> columns = new ArrayList<>();
        for (Profile.Field f : profile.fields()) {
            if (mapping.stream().anyMatch(m -> f.name().equals(m.field()))) {
                columns.add(Map.of("name", f.name(), "type", f.type()));
            }
        }
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("fileName", o.fileName());
        source.put("bytes", run.bytesRead.get());
        source.put("sha256", sha256);
        source.put("format", o.format());
        source.put("mode", o.mode());
        source.putAll(inputMeta);
        source.put("unmappedColumns", mapping.stream().filter(m -> m.field() == null).map(ColumnMapping::source).toList());
        versions.insert(c, d, n, "upload", sha256, rowCount, added, removed, changed, quarantined, columns, mapping, source,
                run.id, subject);
        run.rowsQuarantined.set(quarantined);
        run.rowsStored.set(run.rowsStored.get() - duplicates);
        run.state = RunStates.STORED;
        runs.storeResult(c, run, n);
        outbox.enqueue(c, UUID.randomUUID(), "lineage", "RunEvent", tenant, LineageEvents.runEvent("COMPLETE", run.id,
                tenant, "upload", d.name(), LineageEvents.fileInput(tenant, o.fileName(), run.bytesRead.get(), sha256), n,
                columns.stream().map(m -> m.get("name")).toList(), rowCount, null));
        return new UploadResult(run.id, false, versions.get(c, tenant, d.id(), n));
    }

    static final String STAGING_COPY = "copy upload_staging (line, row_id, row_hash, data, q_field, q_raw, q_reason) from stdin";

    /** Where a first version's rows go when they bypass staging: the dataset and the version they make. */
    record Direct(String tenant, UUID dataset, int version) {
    }

    /**
     * One normalised batch and its counts: COPY text for the staging table, or (for a first
     * version written directly) column arrays.
     */
    record Batch(byte[] copy, ColumnBatch columns, int stored, int quarantined) {
    }

    static Batch normalise(Profile profile, List<String> headers, List<ColumnMapping> mapping, List<String> rowKey,
            String idPrefix, Direct direct, List<RecordSource.Rec> records) {
        RowNormaliser rows = new RowNormaliser(profile, headers, mapping, rowKey);
        Sink sink = direct == null ? new StagingText(records.size()) : new Columns();
        int stored = 0;
        int quarantined = 0;
        for (RecordSource.Rec r : records) {
            long line = r.line();
            if (r.fields() == null) {
                sink.quarantine(line, null, r.raw(), r.reason(), null);
                quarantined++;
                continue;
            }
            if (r.fields().size() != headers.size()) {
                sink.quarantine(line, null, null, "ragged_row", rows.rawJson(r.fields()));
                quarantined++;
                continue;
            }
            RowNormaliser.Outcome out = rows.normalise(r.fields());
            if (out.quarantined()) {
                for (RowNormaliser.Issue i : out.issues()) {
                    sink.quarantine(line, i.field(), i.raw(), i.reason(), out.rawJson());
                }
                quarantined++;
                continue;
            }
            sink.row(line, out.rowId() == null ? lineId(idPrefix, line) : out.rowId(), out.hash(), out.json());
            stored++;
        }
        return sink instanceof Columns col ? new Batch(null, col.batch, stored, quarantined)
                : new Batch(((StagingText) sink).b.toString().getBytes(StandardCharsets.UTF_8), null, stored, quarantined);
    }

    /** Where {@link #normalise} puts a batch's rows and quarantine entries. */
    private interface Sink {
        void row(long line, String rowId, String hash, String json);

        void quarantine(long line, String field, String raw, String reason, String rawJson);
    }

    /** COPY text for {@code upload_staging}: rows and quarantine entries alike, one line each. */
    private static final class StagingText implements Sink {
        final StringBuilder b;

        StagingText(int records) {
            b = new StringBuilder(records * 512);
        }

        @Override
        public void row(long line, String rowId, String hash, String json) {
            b.append(line).append('\t');
            CopyText.append(b, rowId);
            b.append('\t').append(hash).append('\t');
            CopyText.append(b, json);
            b.append("\t\\N\t\\N\t\\N\n");
        }

        @Override
        public void quarantine(long line, String field, String raw, String reason, String rawJson) {
            b.append(line).append("\t\\N\t\\N\t");
            CopyText.append(b, rawJson);
            b.append('\t');
            CopyText.append(b, field);
            b.append('\t');
            CopyText.append(b, rawValue(raw));
            b.append('\t');
            CopyText.append(b, reason);
            b.append('\n');
        }
    }

    /** Column arrays for a first version written straight into its tables. */
    private static final class Columns implements Sink {
        final ColumnBatch batch = new ColumnBatch();

        @Override
        public void row(long line, String rowId, String hash, String json) {
            batch.row(rowId, hash, json);
        }

        @Override
        public void quarantine(long line, String field, String raw, String reason, String rawJson) {
            batch.quarantine(line, field, rawValue(raw), reason, rawJson);
        }
    }

    /** What quarantine keeps of a raw value: its first 1,000 characters. */
    private static String rawValue(String raw) {
        return raw == null ? null : raw.length() > 1000 ? raw.substring(0, 1000) : raw;
    }

    /**
     * The id of a row of a dataset without a row key: the run's prefix and the zero-padded line, so
     * one upload's ids ascend in file order — its rows are appended to the indexes on
     * {@code row_id} instead of scattered over them, and read back in file order.
     */
    static String lineId(String prefix, long line) {
        String n = Long.toString(line);
        return n.length() >= 10 ? prefix + n : prefix + "0000000000".substring(n.length()) + n;
    }

    /** The batch of a finished stage, or what made that stage fail (a SQL or I/O error as itself). */
    private static Batch await(Future<Batch> f) throws IOException, SQLException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while normalising", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof SQLException se) {
                throw se;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(cause);
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    private List<ColumnMapping> mapping(Profile profile, List<String> headers, List<List<String>> sample,
            Map<String, String> override) {
        List<ColumnMapping> m = ColumnInference.infer(profile, headers, sample);
        if (override != null && !override.isEmpty()) {
            try {
                m = ColumnInference.override(profile, m, override);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("mapping", e.getMessage());
            }
        }
        if (m.stream().allMatch(x -> x.field() == null)) {
            throw new ProblemException(422, "no_columns_mapped", "No column mapped",
                    "No column of the file maps to a field of profile " + profile.name() + "; pass a mapping")
                    .with("unmappedColumns", headers);
        }
        return m;
    }

    private CsvReader<CsvRecord> reader(CsvInput input) {
        return CsvReader.builder().fieldSeparator(input.delimiter).quoteCharacter('"').skipEmptyLines(true)
                .allowExtraFields(true).allowMissingFields(true).allowUnclosedQuote(false).maxBufferSize(maxRecordChars)
                .build(CsvRecordHandler.of(b -> b.maxFields(maxColumns).maxFieldSize(maxFieldChars)
                        .maxRecordSize(maxRecordChars)), input.reader);
    }

    /**
     * An upload opened for reading: its records and what the version records about the input
     * (encoding, BOM and delimiter of text; the sheet of a workbook). XLSX is spooled to a temporary
     * file first — a zip's directory is at its end — and the file is deleted on close.
     */
    record Opened(RecordSource records, Map<String, Object> meta, Path spool) implements AutoCloseable {
        @Override
        public void close() {
            if (spool != null) {
                XlsxRecords.delete(spool);
            }
        }
    }

    private Opened open(InputStream body, UploadOptions o) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (UploadOptions.XLSX.equals(o.format())) {
            Path spoolDir = spoolDir();
            Files.createDirectories(spoolDir);
            Path spool = Files.createTempFile(spoolDir, "upload-", ".xlsx");
            try {
                try (OutputStream out = new SpoolOutput(Files.newOutputStream(spool), spool)) {
                    body.transferTo(out);
                }
                RecordSource src = XlsxRecords.open(spool, o.sheet(), maxColumns, maxFieldChars, maxXlsxEntryBytes,
                        meta);
                return new Opened(src, meta, spool);
            } catch (IOException | RuntimeException e) {
                XlsxRecords.delete(spool);
                throw e;
            }
        }
        CsvInput input = CsvInput.open(body, o.encoding(), o.delimiter());
        meta.put("encoding", input.charset.name());
        meta.put("bom", input.bom);
        if (UploadOptions.NDJSON.equals(o.format())) {
            return new Opened(RecordSource.ndjson(input.reader, json, maxColumns, maxRecordChars), meta, null);
        }
        meta.put("delimiter", String.valueOf(input.delimiter));
        return new Opened(RecordSource.csv(reader(input)), meta, null);
    }

    private static List<String> headers(List<String> raw) {
        List<String> headers = raw.stream().map(h -> h.replace("\0", "").trim()).toList();
        Set<String> seen = new HashSet<>();
        List<String> dupes = new ArrayList<>();
        for (String h : headers) {
            if (!seen.add(h.toLowerCase(java.util.Locale.ROOT))) {
                dupes.add(h);
            }
        }
        if (headers.stream().allMatch(String::isEmpty)) {
            throw new ProblemException(422, "empty_file", "Empty file", "The header line is empty");
        }
        if (!dupes.isEmpty()) {
            throw new ProblemException(422, "duplicate_columns", "Duplicate column names",
                    "The header names these columns more than once: " + dupes).with("columns", dupes);
        }
        return headers;
    }

    /** Maps what can go wrong while reading an upload to a problem a caller can act on. */
    public static ProblemException problem(Throwable e) {
        if (e instanceof ProblemException p) {
            return p;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CharacterCodingException) {
                return new ProblemException(400, "invalid_encoding", "Invalid character encoding",
                        "The file is not valid in its character encoding; declare it with ?encoding= or fix the file")
                        .with("errors", List.of(Map.of("field", "encoding", "reason", "bytes invalid in the encoding")));
            }
            if (t instanceof CsvParseException) {
                String m = String.valueOf(t.getMessage());
                if (m.contains("max field size") || m.contains("max record size") || m.contains("maximum buffer size")) {
                    return new ProblemException(413, "field_too_large", "Field too large",
                            "A field or record is larger than this service accepts, or a quote is never closed: "
                                    + m.replaceAll("\\s*This issue.*", ""));
                }
                if (m.contains("maximum limit of")) {
                    return new ProblemException(422, "too_many_columns", "Too many columns", m);
                }
                if (t.getCause() == null || t.getCause() instanceof CsvParseException) {
                    continue;
                }
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CsvParseException) {
                return new ProblemException(400, "malformed_csv", "Malformed CSV", String.valueOf(t.getMessage()));
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SpoolOutput.SpoolWriteException) {
                // Our disk, not the caller's file: a retry later can succeed (FMEA FM-10).
                return new ProblemException(507, "insufficient_storage", "Insufficient storage",
                        "ingest-service could not write the upload's temporary file (" + t.getCause().getMessage()
                                + "); nothing was stored; retry later").header("Retry-After", "60");
            }
        }
        if (e instanceof UncheckedIOException || e instanceof IOException) {
            return new ProblemException(400, "upload_interrupted", "Upload interrupted",
                    "The upload could not be read to its end; nothing was stored");
        }
        if (e instanceof SQLException || e instanceof IllegalStateException) {
            return new ProblemException(500, "internal", "Internal error", "The upload could not be stored; nothing was kept");
        }
        return new ProblemException(500, "internal", "Internal error", "The upload could not be stored; nothing was kept");
    }

    private static long exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeLargeUpdate();
        }
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> Iterator<T> concat(Iterator<T> a, Iterator<T> b) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return a.hasNext() || b.hasNext();
            }

            @Override
            public T next() {
                return a.hasNext() ? a.next() : b.next();
            }
        };
    }

    /** Counts bytes into the run's progress as they are read. */
    static final class CountingInputStream extends FilterInputStream {
        private final RunProgress run;

        CountingInputStream(InputStream in, RunProgress run) {
            super(in);
            this.run = run;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                run.bytesRead.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                run.bytesRead.addAndGet(n);
            }
            return n;
        }
    }

    /** Discards bytes (draining the rest of a request so its digest is complete). */
    static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
