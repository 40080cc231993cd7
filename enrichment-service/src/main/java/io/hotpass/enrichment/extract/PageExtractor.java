package io.hotpass.enrichment.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.hotpass.enrichment.evidence.Candidate;
import io.hotpass.enrichment.evidence.Evidence;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Extracts organisation facts from one HTML page: e-mails and phones from {@code mailto:} and
 * {@code tel:} links and from the text (phones found and normalised to E.164 by libphonenumber),
 * and schema.org {@code Organization} data from JSON-LD (expanded by a JSON-LD processor, ADR 0021) and microdata (an
 * {@code itemscope}/{@code itemprop} walker), and postal addresses written as text (an
 * {@code <address>} block or a short line that reads as one, {@link AddressExtractor}). The page is data only: nothing in it is executed or
 * obeyed; a malformed JSON-LD block is skipped, the rest of the page still counts.
 */
public final class PageExtractor {

    static final Set<String> ORGANISATION_TYPES = Set.of("organization", "corporation", "localbusiness",
            "educationalorganization", "airline", "ngo", "governmentorganization", "professionalservice",
            "automotivebusiness", "store", "sportsorganization");

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,24}");
    private static final int SNIPPET_RADIUS = 60;

    private final ObjectMapper json = new ObjectMapper();
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final String region;

    public PageExtractor(String region) {
        this.region = region;
    }

    /** Everything this page offers, each value with its evidence. */
    public List<Candidate> extract(String html, String url, Instant fetchedAt, String sha256) {
        Document doc = Jsoup.parse(html, url);
        List<Candidate> out = new ArrayList<>();
        Sink sink = new Sink(out, url, fetchedAt, sha256);
        links(doc, sink);
        jsonLd(doc, sink);
        microdata(doc, sink);
        text(doc, sink);
        addresses(doc, sink);
        return dedupe(out);
    }

    /** Elements whose own text is looked at for a free-text address, at most this many a page. */
    private static final int MAX_ADDRESS_BLOCKS = 2_000;

    /**
     * Postal addresses written as text: an {@code <address>} element (its lines kept apart, as the
     * page breaks them), and short text blocks (a paragraph, list item, table cell or footer line)
     * that read as "number street, city[, province][, code][, country]" ({@link AddressExtractor}).
     */
    private void addresses(Document doc, Sink sink) {
        for (Element e : doc.select("address")) {
            Element copy = e.clone();
            copy.select("br").forEach(br -> br.after(new org.jsoup.nodes.TextNode("\n")));
            emitAddress(AddressExtractor.parse(copy.wholeText()), "address-element", e.outerHtml(), sink);
        }
        int seen = 0;
        for (Element e : doc.select("p, li, td, dd, span, div, footer")) {
            if (++seen > MAX_ADDRESS_BLOCKS) {
                break;
            }
            if (e.closest("address") != null || !e.children().select("p, li, div, table, address").isEmpty()) {
                continue; // inside an <address> (read above), or a container whose blocks are read themselves
            }
            String text = e.text();
            if (text.length() >= 10 && text.length() <= 300) {
                emitAddress(AddressExtractor.parse(text), "text-address", text, sink);
            }
        }
    }

    private static void emitAddress(AddressExtractor.Address a, String extractor, String snippet, Sink sink) {
        if (a == null) {
            return;
        }
        sink.add("street", a.street(), extractor, snippet);
        sink.add("city", a.city(), extractor, snippet);
        if (a.province() != null) {
            sink.add("province", a.province(), extractor, snippet);
        }
        if (a.country() != null) {
            sink.add("country", a.country(), extractor, snippet);
        }
    }

    private void links(Document doc, Sink sink) {
        for (Element a : doc.select("a[href]")) {
            String href = a.attr("href").strip();
            String lower = href.toLowerCase(Locale.ROOT);
            if (lower.startsWith("mailto:")) {
                String addr = decode(href.substring(7).split("\\?", 2)[0]);
                for (String one : addr.split(",")) {
                    String email = email(one);
                    if (email != null) {
                        sink.add("email", email, "mailto-link", a.outerHtml());
                    }
                }
            } else if (lower.startsWith("tel:")) {
                String phone = phone(decode(href.substring(4)));
                if (phone != null) {
                    sink.add("phone", phone, "tel-link", a.outerHtml());
                }
            }
        }
    }

    private void text(Document doc, Sink sink) {
        String text = doc.body() == null ? "" : doc.body().text();
        Matcher m = EMAIL.matcher(text);
        while (m.find()) {
            String email = email(m.group());
            if (email != null) {
                sink.add("email", email, "text-email", around(text, m.start(), m.end()));
            }
        }
        for (PhoneNumberMatch match : phones.findNumbers(text, region, PhoneNumberUtil.Leniency.VALID, 10_000)) {
            sink.add("phone", phones.format(match.number(), PhoneNumberUtil.PhoneNumberFormat.E164), "text-phone",
                    around(text, match.start(), match.end()));
        }
    }

    /**
     * Each JSON-LD block is expanded by a JSON-LD 1.1 processor (Titanium) against its own
     * {@code @context}, so prefixed names ({@code "s:telephone"}), aliases and full IRIs read the same
     * as plain schema.org terms; the expanded nodes are then read by schema.org local name. Only the
     * schema.org context is "loaded", from a built-in stand-in ({@link #CONTEXTS}): a page never makes
     * this service fetch anything. A block whose context cannot be processed (another remote
     * context) or declares no {@code @context} is read as plain JSON with schema.org names, as before;
     * malformed JSON is skipped.
     */
    private void jsonLd(Document doc, Sink sink) {
        for (Element script : doc.select("script[type=application/ld+json]")) {
            String data = script.data();
            JsonNode root;
            try {
                root = json.readTree(data);
            } catch (JsonProcessingException e) {
                continue; // malformed JSON-LD: skipped, the page's other data still counts
            }
            if (root == null) {
                continue;
            }
            if (hasContext(root)) {
                try {
                    jakarta.json.JsonArray expanded = com.apicatalog.jsonld.JsonLd
                            .expand(com.apicatalog.jsonld.document.JsonDocument.of(new java.io.StringReader(data)))
                            .base(java.net.URI.create(sink.url())).loader(CONTEXTS).get();
                    root = plain(expanded, 0);
                } catch (com.apicatalog.jsonld.JsonLdError | RuntimeException e) {
                    // A context we do not load (or cannot process): the names as written, as before.
                }
            }
            walkJsonLd(root, sink, data, 0);
        }
    }

    /** Whether a block (or one of the nodes of a top-level array) declares a {@code @context}; without one nothing expands. */
    private static boolean hasContext(JsonNode root) {
        if (root.isArray()) {
            for (JsonNode n : root) {
                if (n.has("@context")) {
                    return true;
                }
            }
            return false;
        }
        return root.has("@context");
    }

    /** The one remote context a page may name: schema.org's, as a stand-in mapping every term into its vocabulary. */
    private static final com.apicatalog.jsonld.loader.DocumentLoader CONTEXTS = (url, options) -> {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("schema.org") || host.equals("www.schema.org")) {
            return com.apicatalog.jsonld.document.JsonDocument.of(jakarta.json.Json.createObjectBuilder()
                    .add("@context", jakarta.json.Json.createObjectBuilder().add("@vocab", "https://schema.org/"))
                    .build());
        }
        throw new com.apicatalog.jsonld.JsonLdError(com.apicatalog.jsonld.JsonLdErrorCode.LOADING_REMOTE_CONTEXT_FAILED,
                "remote contexts other than schema.org are not loaded");
    };

    /**
     * An expanded JSON-LD value as the walker reads it: schema.org properties by local name, a
     * single value as itself, {@code @type} as IRIs; properties of other vocabularies left out.
     */
    private JsonNode plain(jakarta.json.JsonValue v, int depth) {
        if (depth > 40) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        if (v instanceof jakarta.json.JsonArray array) {
            if (array.size() == 1) {
                return plain(array.get(0), depth + 1);
            }
            com.fasterxml.jackson.databind.node.ArrayNode out = json.createArrayNode();
            array.forEach(x -> out.add(plain(x, depth + 1)));
            return out;
        }
        if (v instanceof jakarta.json.JsonString str) {
            return json.getNodeFactory().textNode(str.getString());
        }
        if (!(v instanceof jakarta.json.JsonObject o)) {
            return v instanceof jakarta.json.JsonNumber n ? json.getNodeFactory().textNode(n.toString())
                    : com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        if (o.containsKey("@value")) {
            return plain(o.get("@value"), depth + 1);
        }
        if (o.containsKey("@list")) {
            return plain(o.get("@list"), depth + 1);
        }
        if (o.size() == 1 && o.containsKey("@id")) {
            return plain(o.get("@id"), depth + 1);
        }
        com.fasterxml.jackson.databind.node.ObjectNode out = json.createObjectNode();
        for (var e : o.entrySet()) {
            String key = e.getKey();
            if (key.equals("@type")) {
                com.fasterxml.jackson.databind.node.ArrayNode types = out.putArray("@type");
                e.getValue().asJsonArray().forEach(t -> types.add(plain(t, depth + 1)));
            } else if (key.equals("@graph")) {
                out.set("@graph", plain(e.getValue(), depth + 1));
            } else {
                String local = schemaOrgName(key);
                if (local != null) {
                    out.set(local, plain(e.getValue(), depth + 1));
                }
            }
        }
        return out;
    }

    private static final List<String> SCHEMA_ORG = List.of("https://schema.org/", "http://schema.org/",
            "https://www.schema.org/", "http://www.schema.org/");

    /** "https://schema.org/telephone" or "http://schema.org/telephone" → "telephone"; another vocabulary → null. */
    static String schemaOrgName(String iri) {
        for (String prefix : SCHEMA_ORG) {
            if (iri.startsWith(prefix) && iri.length() > prefix.length()) {
                return iri.substring(prefix.length());
            }
        }
        return null;
    }

    private void walkJsonLd(JsonNode node, Sink sink, String block, int depth) {
        if (node == null || depth > 20) {
            return;
        }
        if (node.isArray()) {
            node.forEach(n -> walkJsonLd(n, sink, block, depth + 1));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        if (isOrganisation(node.get("@type"))) {
            String snippet = node.toString();
            put(sink, "name", node.path("legalName").isTextual() ? node.get("legalName") : node.get("name"), "json-ld",
                    snippet);
            JsonNode email = node.get("email");
            if (email != null && email.isTextual()) {
                String e = email(email.asText().replaceFirst("(?i)^mailto:", ""));
                if (e != null) {
                    sink.add("email", e, "json-ld", snippet);
                }
            }
            JsonNode tel = node.get("telephone");
            if (tel != null && tel.isTextual()) {
                String p = phone(tel.asText());
                if (p != null) {
                    sink.add("phone", p, "json-ld", snippet);
                }
            }
            put(sink, "website", node.get("url"), "json-ld", snippet);
            for (String id : List.of("taxID", "vatID", "identifier", "leiCode")) {
                if (node.path(id).isTextual()) {
                    sink.add("registration_number", node.get(id).asText().strip(), "json-ld", snippet);
                    break;
                }
            }
            JsonNode address = node.get("address");
            if (address != null && address.isObject()) {
                put(sink, "street", address.get("streetAddress"), "json-ld", snippet);
                put(sink, "city", address.get("addressLocality"), "json-ld", snippet);
                put(sink, "province", address.get("addressRegion"), "json-ld", snippet);
                JsonNode country = address.get("addressCountry");
                put(sink, "country", country != null && country.isObject() ? country.get("name") : country, "json-ld",
                        snippet);
            }
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("@context")) {
                walkJsonLd(e.getValue(), sink, block, depth + 1);
            }
        });
    }

    private static boolean isOrganisation(JsonNode type) {
        if (type == null) {
            return false;
        }
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (isOrganisation(t)) {
                    return true;
                }
            }
            return false;
        }
        String t = type.asText().toLowerCase(Locale.ROOT);
        int slash = Math.max(t.lastIndexOf('/'), t.lastIndexOf(':'));
        return ORGANISATION_TYPES.contains(slash >= 0 ? t.substring(slash + 1) : t);
    }

    private static void put(Sink sink, String field, JsonNode v, String extractor, String snippet) {
        if (v != null && v.isTextual() && !v.asText().isBlank() && v.asText().length() <= 500) {
            sink.add(field, v.asText().strip(), extractor, snippet);
        }
    }

    /** Microdata: each {@code itemscope} whose {@code itemtype} is a schema.org organisation. */
    private void microdata(Document doc, Sink sink) {
        for (Element scope : doc.select("[itemscope][itemtype]")) {
            String type = scope.attr("itemtype");
            int slash = type.lastIndexOf('/');
            if (!ORGANISATION_TYPES.contains((slash >= 0 ? type.substring(slash + 1) : type).toLowerCase(Locale.ROOT))) {
                continue;
            }
            String snippet = scope.outerHtml();
            for (Element prop : ownProperties(scope)) {
                String name = prop.attr("itemprop");
                String value = microdataValue(prop);
                if (value == null || value.isBlank()) {
                    continue;
                }
                switch (name) {
                    case "name", "legalName" -> sink.add("name", value, "microdata", snippet);
                    case "email" -> {
                        String e = email(value.replaceFirst("(?i)^mailto:", ""));
                        if (e != null) {
                            sink.add("email", e, "microdata", snippet);
                        }
                    }
                    case "telephone" -> {
                        String p = phone(value.replaceFirst("(?i)^tel:", ""));
                        if (p != null) {
                            sink.add("phone", p, "microdata", snippet);
                        }
                    }
                    case "url" -> sink.add("website", value, "microdata", snippet);
                    case "taxID", "vatID", "identifier" -> sink.add("registration_number", value, "microdata", snippet);
                    case "streetAddress" -> sink.add("street", value, "microdata", snippet);
                    case "addressLocality" -> sink.add("city", value, "microdata", snippet);
                    case "addressRegion" -> sink.add("province", value, "microdata", snippet);
                    case "addressCountry" -> sink.add("country", value, "microdata", snippet);
                    default -> {
                    }
                }
            }
        }
    }

    /**
     * The {@code itemprop} elements that belong to this item: descendants not inside a nested item,
     * except a nested PostalAddress, whose properties are the organisation's address.
     */
    private static List<Element> ownProperties(Element scope) {
        List<Element> out = new ArrayList<>();
        for (Element e : scope.select("[itemprop]")) {
            Element owner = e.parent();
            while (owner != null && owner != scope && !owner.hasAttr("itemscope")) {
                owner = owner.parent();
            }
            boolean inAddress = owner != null && owner != scope && owner.attr("itemtype").endsWith("PostalAddress");
            if (owner == scope || inAddress) {
                out.add(e);
            }
        }
        return out;
    }

    private static String microdataValue(Element e) {
        return switch (e.tagName()) {
            case "meta" -> e.attr("content");
            case "a", "link", "area" -> e.absUrl("href").isEmpty() ? e.attr("href") : e.absUrl("href");
            case "img", "audio", "video", "source" -> e.absUrl("src");
            case "time" -> e.hasAttr("datetime") ? e.attr("datetime") : e.text();
            case "data", "meter" -> e.attr("value");
            default -> e.hasAttr("itemscope") ? null : e.text();
        };
    }

    private static String email(String raw) {
        String s = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        return EMAIL.matcher(s).matches() ? s : null;
    }

    private String phone(String raw) {
        try {
            var n = phones.parse(raw, region);
            return phones.isValidNumber(n) ? phones.format(n, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
        } catch (com.google.i18n.phonenumbers.NumberParseException e) {
            return null;
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String around(String text, int start, int end) {
        return text.substring(Math.max(0, start - SNIPPET_RADIUS), Math.min(text.length(), end + SNIPPET_RADIUS));
    }

    /** One candidate per (field, value, extractor): the first occurrence's evidence is kept. */
    private static List<Candidate> dedupe(List<Candidate> in) {
        Set<String> seen = new LinkedHashSet<>();
        List<Candidate> out = new ArrayList<>();
        for (Candidate c : in) {
            if (seen.add(c.field() + "\u0000" + c.value() + "\u0000" + c.evidence().extractor())) {
                out.add(c);
            }
        }
        return out;
    }

    private record Sink(List<Candidate> out, String url, Instant fetchedAt, String sha256) {
        void add(String field, String value, String extractor, String snippet) {
            out.add(new Candidate(field, value, new Evidence("website", url, fetchedAt, sha256, extractor, snippet)));
        }
    }
}
