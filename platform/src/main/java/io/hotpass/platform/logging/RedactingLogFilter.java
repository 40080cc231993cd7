package io.hotpass.platform.logging;

import io.quarkus.logging.LoggingFilter;
import java.text.MessageFormat;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * A log filter (enable with {@code quarkus.log.console.filter=hotpass-redact}) that formats each
 * record's message and passes it through {@link Redactor}, so no handler ever sees a token, API
 * key or password, whatever the code that logged it did.
 */
@LoggingFilter(name = "hotpass-redact")
public final class RedactingLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String formatted = format(record);
        String redacted = Redactor.redact(formatted);
        if (record instanceof ExtLogRecord ext) {
            ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
        } else {
            record.setMessage(redacted);
        }
        record.setParameters(null);
        return true;
    }

    private static String format(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            return ext.getFormattedMessage();
        }
        Object[] params = record.getParameters();
        String msg = record.getMessage();
        if (msg == null || params == null || params.length == 0) {
            return msg;
        }
        try {
            return MessageFormat.format(msg, params);
        } catch (IllegalArgumentException e) {
            return msg;
        }
    }
}
