package io.hotpass.chaos.targets;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * The services' PostgreSQL databases as the zero-loss check reads them: read-only connections as
 * the database owner (row-level security does not hide other tenants from it, which is what the
 * check wants: it filters by tenant itself).
 */
public final class Databases {

    private final String serverUrl;
    private final String user;
    private final String password;
    private final Map<String, String> names;

    /** @param names service → database name, e.g. ingest-service → hotpass_ingest_chaos */
    public Databases(String serverUrl, String user, String password, Map<String, String> names) {
        this.serverUrl = serverUrl.replaceAll("/+$", "");
        this.user = user;
        this.password = password;
        this.names = Map.copyOf(names);
    }

    /** Database names as {@code hotpass_<service without -service><suffix>}. */
    public static Map<String, String> namesWithSuffix(String suffix) {
        java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
        for (String s : LocalStack.SERVICES) {
            m.put(s, "hotpass_" + s.replace("-service", "") + suffix);
        }
        return m;
    }

    public Connection connect(String service) throws SQLException {
        String db = names.get(service);
        if (db == null) {
            throw new IllegalArgumentException("No database known for " + service);
        }
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "60");
        Connection c = DriverManager.getConnection(serverUrl + "/" + db, p);
        c.setReadOnly(true);
        return c;
    }
}
