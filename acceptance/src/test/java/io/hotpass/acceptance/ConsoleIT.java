package io.hotpass.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (Debian's Chromium, headless) against the whole packaged
 * stack: what a data steward sees, page by page, from signing in with an API key to the new
 * version in the lineage picture. Every page is checked with axe-core and photographed into
 * acceptance/target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    /** On a failure: a picture of the page and its text, to see what the person would have seen. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.junit.jupiter.api.extension.TestWatcher ON_FAILURE = new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            if (browser != null) {
                String name = "FAILED-" + context.getRequiredTestMethod().getName();
                browser.screenshot(name);
                try {
                    Files.writeString(browser.screenshots.resolve(name + ".txt"), driver.getCurrentUrl() + "\n\n"
                            + driver.findElement(By.tagName("body")).getText());
                } catch (Exception e) {
                    // the screenshot is what matters
                }
            }
        }
    };

    static final int ROWS = 30_000;
    static final int DUPLICATE_EVERY = 3_000;

    static Stack stack;
    static Browser browser;
    static WebDriver driver;
    static String adminKey;
    static String auditorKey;
    static final String DATASET = "console-" + UUID.randomUUID().toString().substring(0, 8);
    static Path file;
    static final List<String> PERCENTS_SEEN = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        stack = Stack.get();
        adminKey = Tenants.key("console", "tenant-admin");
        auditorKey = Tenants.key("console", "auditor");
        file = generate(stack.root.resolve("acceptance/target/console-orgs.csv"));
        browser = new Browser(stack.root);
        driver = browser.driver;
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.close();
        }
    }

    /**
     * Organisations with a header the profile half-knows ("Base" is not inferred: the steward maps
     * it), a few rows without a name (quarantined) and a duplicate of every 3,000th organisation
     * under another registration number with its city missing (the merge plan's work).
     */
    static Path generate(Path target) throws Exception {
        Files.createDirectories(target.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            w.write("Organisation Name,E-mail,Telephone,Registration Number,Base,Fleet\n");
            for (int i = 0; i < ROWS; i++) {
                String name = i % 5_000 == 17 ? "" : "Skyways Aviation " + i;
                w.write(name + ",ops" + i + "@skyways" + i + ".co.za,+2782" + String.format("%07d", i) + ",REG" + i
                        + ",Cape Town," + (i % 40) + "\n");
                if (i % DUPLICATE_EVERY == 5) {
                    w.write(name + ",ops" + i + "@skyways" + i + ".co.za,+2782" + String.format("%07d", i) + ",REG" + i + "-B,,"
                            + (i % 40) + "\n");
                }
            }
        }
        return target;
    }

    /**
     * Waits, polling every 100 ms. A page that redraws (a plan page after a decision) replaces the
     * element a condition just found: that is "not yet", not a failure.
     */
    static WebDriverWait await(int seconds) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    static WebElement visible(By by) {
        return await(30).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    static void heading(String text) {
        await(30).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), text));
    }

    /** axe-core finds nothing on the page, and the page is saved as a picture. */
    static void accessibleAndPhotographed(String name) {
        await(30).until(d -> ((JavascriptExecutor) d).executeScript("return document.getElementById('main').getAttribute('aria-busy')") == null);
        browser.screenshot(name);
        List<String> violations = browser.axeViolations();
        assertTrue(violations.isEmpty(), name + ": axe-core violations:\n" + String.join("\n", violations));
    }

    static void open(String hash) {
        driver.get(stack.gateway() + "/console/" + hash);
    }

    static void signIn(String key) {
        driver.manage().deleteAllCookies();
        open("");
        WebElement input = visible(By.id("api-key"));
        input.sendKeys(key);
        driver.findElement(By.id("sign-in")).click();
        visible(By.id("sign-out"));
    }

    @Test
    @Order(1)
    void signInWithAnApiKeyLeavesOnlyAnHttpOnlyCookieInTheBrowser() {
        open("");
        heading("Sign in");
        visible(By.id("api-key"));
        accessibleAndPhotographed("01-sign-in");
        // A wrong key is explained and signs no one in.
        driver.findElement(By.id("api-key")).sendKeys("hp_wrongkey0000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        driver.findElement(By.id("sign-in")).click();
        await(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-feedback"), "invalid_api_key"));
        driver.findElement(By.id("api-key")).clear();
        driver.findElement(By.id("api-key")).sendKeys(adminKey);
        driver.findElement(By.id("sign-in")).click();
        heading("Datasets");
        Cookie cookie = driver.manage().getCookieNamed("hp_session");
        assertTrue(cookie.isHttpOnly(), "HttpOnly");
        assertEquals("Strict", cookie.getSameSite());
        JavascriptExecutor js = (JavascriptExecutor) driver;
        assertFalse(String.valueOf(js.executeScript("return document.cookie")).contains("hp_session"), "scripts cannot read the session");
        assertEquals(0L, js.executeScript("return localStorage.length + sessionStorage.length"), "nothing in web storage");
        String page = driver.getPageSource();
        assertFalse(page.contains(adminKey), "the API key is gone from the page");
        assertTrue(driver.findElement(By.id("who-name")).getText().contains("console"));
    }

    @Test
    @Order(2)
    void createADatasetAndUploadAFileWatchingItsProgressReach100Percent() {
        open("#/datasets");
        heading("Datasets");
        visible(By.id("new-dataset-name")).sendKeys(DATASET);
        driver.findElement(By.id("create-dataset")).click();
        heading("Upload to " + DATASET);
        driver.findElement(By.id("upload-file")).sendKeys(file.toString());
        driver.findElement(By.id("preview")).click();
        visible(By.id("mapping-heading"));
        Select base = new Select(driver.findElement(By.cssSelector("select[data-source='Base']")));
        Select orgName = new Select(driver.findElement(By.cssSelector("select[data-source='Organisation Name']")));
        assertEquals("name", orgName.getFirstSelectedOption().getAttribute("value"), "name inferred from the header");
        base.selectByValue("city");
        driver.findElement(By.id("preview-again")).click();
        await(30).until(d -> new Select(d.findElement(By.cssSelector("select[data-source='Base']"))).getFirstSelectedOption()
                .getAttribute("value").equals("city"));
        assertTrue(driver.findElement(By.id("preview-area")).getText().contains("Cape Town"), "sample rows show the mapped city");
        accessibleAndPhotographed("03-upload-preview");
        driver.findElement(By.id("start-upload")).click();
        WebElement percent = visible(By.id("upload-percent"));
        await(180).until(d -> {
            String p = percent.getText();
            if (PERCENTS_SEEN.isEmpty() || !PERCENTS_SEEN.get(PERCENTS_SEEN.size() - 1).equals(p)) {
                PERCENTS_SEEN.add(p);
            }
            return d.findElement(By.id("upload-outcome")).getText().length() > 0 && "100%".equals(p)
                    || d.findElement(By.id("upload-state")).getText().equals("failed");
        });
        System.out.println("ConsoleIT: upload progress seen " + PERCENTS_SEEN);
        assertEquals("stored", driver.findElement(By.id("upload-state")).getText(), driver.findElement(By.id("upload-outcome")).getText());
        assertEquals("100%", percent.getText());
        assertEquals("100", driver.findElement(By.id("upload-progress")).getAttribute("value"));
        String outcome = driver.findElement(By.id("upload-outcome")).getText();
        assertTrue(outcome.contains("Stored as version 1"), outcome);
        int duplicates = ROWS / DUPLICATE_EVERY;
        int nameless = (int) java.util.stream.IntStream.range(0, ROWS).filter(i -> i % 5_000 == 17).count();
        assertEquals(nameless, Integer.parseInt(driver.findElement(By.id("stat-quarantined")).getText().replace(",", "")),
                "rows without a name are quarantined");
        assertEquals(String.format("%,d", ROWS + duplicates), driver.findElement(By.id("stat-rows")).getText());
        accessibleAndPhotographed("04-upload-done");
    }

    @Test
    @Order(3)
    void theDatasetsListAndTheDatasetPageShowTheVersion() {
        open("#/datasets");
        WebElement row = await(30).until(ExpectedConditions.visibilityOfElementLocated(By.linkText(DATASET)));
        accessibleAndPhotographed("02-datasets");
        row.click();
        heading(DATASET);
        visible(By.id("quarantine-result"));
        await(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("quarantine-result"), "missing_required"));
        assertTrue(driver.findElement(By.id("main")).getText().contains("Version history"));
        // Publishing before any contract exists is refused, and the page says why.
        driver.findElement(By.id("publish")).click();
        await(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("publish-blockers"), "no_contract"));
        accessibleAndPhotographed("05-dataset");
    }

    @Test
    @Order(4)
    void aContractIsWrittenWithErrorsShownInlineThenCheckedSavedAndActivated() {
        open("#/contracts/" + DATASET);
        heading("Contract " + DATASET);
        WebElement text = visible(By.id("contract-text"));
        setValue(text, "name: " + DATASET + "\nversion: 1.0.0\ndataset: " + DATASET + "\nfields:\n  name: {type: strnig}\n");
        driver.findElement(By.id("save-contract")).click();
        await(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("contract-errors"), "invalid_contract"));
        assertEquals("true", driver.findElement(By.id("contract-text")).getAttribute("aria-invalid"));
        ((JavascriptExecutor) driver).executeScript("document.getElementById('contract-errors').scrollIntoView()");
        accessibleAndPhotographed("06-contract-errors");
        setValue(driver.findElement(By.id("contract-text")), "name: " + DATASET + "\nversion: 1.0.0\ndataset: " + DATASET
                + "\nowner: data-stewards\nfields:\n  name:                {type: string, required: true, maxLength: 200}\n"
                + "  email:               {type: string, format: email, mostly: 0.95}\n"
                + "  registration_number: {type: string, required: true, unique: true}\n"
                + "  fleet_size:          {type: integer, min: 0, max: 500}\nexpectations:\n  - {type: row_count, min: 1}\n");
        driver.findElement(By.id("check-compatibility")).click();
        await(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("contract-compatibility"), "Compatible"));
        driver.findElement(By.id("save-contract")).click();
        WebElement activate = await(30).until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label='Activate version 1.0.0']")));
        accessibleAndPhotographed("07-contract");
        activate.click();
        await(30).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("table"), "active"));
        List<WebElement> downloads = driver.findElements(By.linkText("JSON Schema"));
        assertFalse(downloads.isEmpty());
    }

    @Test
    @Order(5)
    void theValidationReportShowsExpectationsProfilesAndCharts() {
        openDataset();
        await(30).until(ExpectedConditions.elementToBeClickable(By.id("validate"))).click();
        heading("Validation of " + DATASET + " v1");
        visible(By.id("validation-summary"));
        WebElement profiles = visible(By.id("profiles"));
        assertFalse(profiles.findElements(By.cssSelector("svg[role='img']")).isEmpty(), "column profiles have charts");
        String text = driver.findElement(By.id("main")).getText();
        assertTrue(text.contains("row_count"), "expectations listed");
        assertTrue(text.contains("registration_number"), "profiles listed");
        accessibleAndPhotographed("08-validation-report");
    }

    @Test
    @Order(6)
    void duplicatesArePlannedApprovedAboveAThresholdAndCommitted() {
        openDataset();
        await(30).until(ExpectedConditions.elementToBeClickable(By.id("find-duplicates"))).click();
        await(180).until(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-status"), "ready"));
        visible(By.id("clusters-heading"));
        accessibleAndPhotographed("09-plan");
        WebElement threshold = visible(By.id("threshold"));
        setValue(threshold, "0.5");
        driver.findElement(By.id("approve-above")).click();
        WebElement commit = await(30).until(d -> {
            WebElement c = d.findElement(By.id("commit"));
            return c.isEnabled() ? c : null;
        });
        commit.click();
        await(60).until(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-committed"), "v2"));
        accessibleAndPhotographed("10-plan-committed");
    }

    @Test
    @Order(7)
    void theNewVersionAppearsInTheLineagePicture() {
        String label = "Dataset " + DATASET + ", v2";
        open("#/lineage/" + DATASET);
        // The commit's version (ingest's changeset run) and the plan's own run (enrichment's
        // outbox) arrive separately, possibly after the page was drawn: ask again with the page's
        // own "Show lineage" button (the URL does not change, so a reload by URL would not redraw).
        try {
            await(90).pollingEvery(Duration.ofSeconds(1)).until(d -> {
                try {
                    new WebDriverWait(d, Duration.ofSeconds(5)).until(ExpectedConditions.presenceOfElementLocated(By.id("lineage-graph")));
                } catch (org.openqa.selenium.TimeoutException e) {
                    d.findElement(By.id("show-lineage")).click();
                    return false;
                }
                if (!d.findElements(By.cssSelector("#lineage-graph g.node[aria-label='" + label + "']")).isEmpty()
                        && !d.findElements(By.cssSelector("#lineage-graph g.node[aria-label*='merge']")).isEmpty()) {
                    return true;
                }
                d.findElement(By.id("show-lineage")).click();
                return false;
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            List<String> seen = new ArrayList<>();
            for (WebElement n : driver.findElements(By.cssSelector("#lineage-graph g.node"))) {
                seen.add(n.getAttribute("aria-label"));
            }
            throw new AssertionError("The lineage picture never showed " + label + " and the merge job; it showed " + seen, e);
        }
        Set<String> nodes = new LinkedHashSet<>();
        for (WebElement n : driver.findElements(By.cssSelector("#lineage-graph g.node"))) {
            nodes.add(n.getAttribute("aria-label"));
        }
        assertTrue(nodes.stream().anyMatch(n -> n.startsWith("Job ingest.upload." + DATASET)), nodes.toString());
        assertTrue(nodes.stream().anyMatch(n -> n.startsWith("Job") && n.contains("merge")), nodes.toString());
        WebElement node = driver.findElement(By.cssSelector("#lineage-graph g.node[aria-label='" + label + "']"));
        node.sendKeys(Keys.ENTER);
        await(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("lineage-details"), "Versions of this dataset"));
        accessibleAndPhotographed("11-lineage");
    }

    @Test
    @Order(8)
    void theAuditPageNeedsTheAuditorRoleAndVerifiesTheChain() {
        open("#/audit");
        heading("Audit log");
        await(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-results"), "auditor role"));
        driver.findElement(By.id("sign-out")).click();
        heading("Sign in");
        // The old cookie is dead: the gateway refuses it.
        signIn(auditorKey);
        open("#/audit");
        heading("Audit log");
        await(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-results"), "console:session:create"));
        driver.findElement(By.id("verify-chain")).click();
        await(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-chain"), "The chain is intact"));
        accessibleAndPhotographed("12-audit");
    }

    @Test
    @Order(9)
    void signingOutEndsTheSessionAtTheGateway() {
        signIn(adminKey);
        String cookie = driver.manage().getCookieNamed("hp_session").getValue();
        driver.findElement(By.id("sign-out")).click();
        heading("Sign in");
        io.restassured.RestAssured.given().baseUri(stack.gateway()).cookie("hp_session", cookie)
                .get("/api/v1/ingest/datasets").then().statusCode(401);
    }

    @Test
    @Order(10)
    void aPlanFromAnOlderVersionIsExplainedAsAConflictAndRebased() {
        signIn(adminKey);
        String datasetId = io.restassured.RestAssured.given().baseUri(stack.gateway()).header("X-API-Key", adminKey)
                .queryParam("limit", 200).get("/api/v1/ingest/datasets").then().statusCode(200).extract()
                .path("items.find { it.name == '" + DATASET + "' }.id");
        // A steward opens a plan computed before the last commit: the dataset has moved on since.
        String plan = io.restassured.RestAssured.given().baseUri(stack.gateway()).header("X-API-Key", adminKey)
                .contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("datasetId", datasetId, "version", 1)).post("/api/v1/enrichment/merge-plans")
                .then().statusCode(201).extract().path("id");
        open("#/plans/" + plan);
        await(180).until(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-status"), "ready"));
        setValue(visible(By.id("threshold")), "0.5");
        driver.findElement(By.id("approve-above")).click();
        await(30).until(d -> d.findElement(By.id("commit")).isEnabled());
        driver.findElement(By.id("commit")).click();
        WebElement conflict = visible(By.id("conflict"));
        assertTrue(conflict.getText().contains("moved on"), conflict.getText());
        accessibleAndPhotographed("13-plan-conflict");
        driver.findElement(By.id("rebase")).click();
        await(30).until(d -> d.getCurrentUrl().contains("#/plans/") && !d.getCurrentUrl().endsWith(plan));
        await(180).until(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-status"), "ready"));
        assertTrue(driver.findElement(By.id("plan-head")).getText().contains("Rebased from"));
        assertTrue(driver.findElement(By.id("plan-head")).getText().contains("v2"), "computed from the current version");
        // The plans page itself: propose enrichment or find duplicates for a dataset.
        open("#/plans?dataset=" + datasetId);
        heading("Enrichment plans");
        assertEquals(datasetId, new Select(visible(By.id("plan-dataset"))).getFirstSelectedOption().getAttribute("value"));
        // ... and lists the dataset's plans, newest first: the rebased one, the conflicted one, the first merge.
        WebElement recent = visible(By.id("recent-plans")).findElement(By.xpath(".."));
        List<WebElement> links = recent.findElements(By.cssSelector("tbody a"));
        assertTrue(links.size() >= 3, recent.getText());
        assertTrue(links.stream().anyMatch(a -> a.getAttribute("href").endsWith("#/plans/" + plan)), recent.getText());
        assertTrue(recent.getText().contains("committed"), recent.getText());
        accessibleAndPhotographed("14-plans");
    }

    @Test
    @Order(11)
    void aStewardSignsInThroughKeycloakAndWorksInTheirTenant() throws Exception {
        // alice is in the realm's /tenants/acme/stewards group; an operator gives her a password.
        Tenants.key("acme", "tenant-admin");
        String password = "Correct-Horse-" + UUID.randomUUID();
        stack.keycloak.setPassword("alice", password);
        driver.manage().deleteAllCookies();
        open("");
        heading("Sign in");
        await(30).until(ExpectedConditions.elementToBeClickable(By.id("sign-in-oidc"))).click();
        // Keycloak's own login page (authorization code with PKCE, started by the gateway).
        WebElement username = await(60).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertTrue(driver.getCurrentUrl().startsWith(stack.keycloak.issuer() + "/protocol/openid-connect/auth"), driver.getCurrentUrl());
        assertTrue(driver.getCurrentUrl().contains("code_challenge_method=S256"), driver.getCurrentUrl());
        username.sendKeys("alice");
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
        // Back in the console, signed in as alice in acme, with no token in the page's storage.
        await(60).until(ExpectedConditions.textToBePresentInElementLocated(By.id("who-name"), "acme"));
        String who = driver.findElement(By.id("who-name")).getText();
        assertFalse(who.startsWith("user:"), "the person's name is shown, not the opaque subject: " + who);
        assertTrue(driver.getCurrentUrl().startsWith(stack.gateway() + "/console/"), driver.getCurrentUrl());
        heading("Datasets");
        Object stored = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "return JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({}, sessionStorage));");
        assertEquals("{}{}", stored, "no token kept in web storage");
        assertTrue(driver.manage().getCookieNamed("hp_session").isHttpOnly());
        accessibleAndPhotographed("15-keycloak-sign-in");
        // A steward of acme sees acme's datasets, never the console tenant's.
        open("#/datasets");
        heading("Datasets");
        assertFalse(driver.findElement(By.id("main")).getText().contains(DATASET), "another tenant's dataset is not listed");
        driver.findElement(By.id("sign-out")).click();
        heading("Sign in");
    }

    /**
     * A merge plan whose approved deletes would drop the row count under the contract's
     * error-severity {@code keeps_every_row}: the preview names it (and the warning apart), the
     * plain commit is refused with the reason, and only the confirmed override commits v2.
     */
    @Test
    @Order(12)
    void aPlanThatWouldBreakTheContractIsPreviewedRefusedAndCommittedOnlyWithAConfirmedOverride() {
        signIn(adminKey);
        String name = "guard-" + UUID.randomUUID().toString().substring(0, 8);
        String datasetId = api().contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("name", name, "profile", "organisation")).post("/api/v1/ingest/datasets")
                .then().statusCode(201).extract().path("id");
        // 300 organisations, three of them uploaded twice under another registration number
        // without a city: the merge plan deletes those three rows.
        StringBuilder csv = new StringBuilder("name,email,phone,registration_number,city\n");
        for (int i = 0; i < 300; i++) {
            String org = "Kestrel Charter " + i + ",ops" + i + "@kestrel" + i + ".co.za,+2783" + String.format("%07d", i);
            csv.append(org).append(",K").append(i).append(",Durban\n");
            if (i % 100 == 7) {
                csv.append(org).append(",K").append(i).append("-B,\n");
            }
        }
        int rows = api().contentType("text/csv").body(csv.toString()).post("/api/v1/ingest/datasets/" + datasetId + "/uploads")
                .then().statusCode(201).extract().path("version.rowCount");
        assertEquals(303, rows, "every row stored");
        String contract = api().contentType("application/yaml").body(("name: " + name + "\nversion: 1.0.0\ndataset: " + name
                + "\nfields:\n  name: {type: string, required: true}\n  registration_number: {type: string, required: true}\n"
                + "expectations:\n  - {type: row_count, min: " + rows + ", name: keeps_every_row}\n"
                + "  - {type: row_count, max: 10, name: small_sample, severity: warn}\n").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/contracts/contracts").then().statusCode(201).extract().path("id");
        api().post("/api/v1/contracts/contracts/" + contract + "/activate").then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201, 204));
        String plan = api().contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("datasetId", datasetId, "version", 1)).post("/api/v1/enrichment/merge-plans")
                .then().statusCode(201).extract().path("id");

        open("#/plans/" + plan);
        await(180).until(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-status"), "ready"));
        setValue(visible(By.id("threshold")), "0.5");
        driver.findElement(By.id("approve-above")).click();
        await(30).until(d -> d.findElement(By.id("commit")).isEnabled());

        // The preview: the error-severity expectation that would fail, marked as blocking, and the
        // warning apart; nothing is committed.
        driver.findElement(By.id("what-if")).click();
        WebElement verdict = await(120).until(ExpectedConditions.visibilityOfElementLocated(By.id("what-if-verdict")));
        assertTrue(verdict.getText().contains("would fail 1 error-severity expectation") && verdict.getText().contains("keeps_every_row"),
                verdict.getText());
        WebElement result = driver.findElement(By.id("what-if-result"));
        WebElement blocking = result.findElement(By.xpath(".//tr[td[contains(., 'keeps_every_row')]]"));
        assertTrue(blocking.getText().contains("error: blocks the commit"), blocking.getText());
        WebElement warning = result.findElement(By.xpath(".//tr[td[contains(., 'small_sample')]]"));
        assertFalse(warning.getText().contains("blocks the commit"), warning.getText());
        assertTrue(result.getText().contains("3 deleted"), result.getText());
        await(10).until(d -> String.valueOf(((JavascriptExecutor) d).executeScript("return document.getElementById('status').textContent"))
                .contains("would fail 1 error-severity expectation"));
        accessibleAndPhotographed("16-plan-what-if");

        // The plain commit is refused and says why; the plan stays ready, the dataset at v1.
        driver.findElement(By.id("commit")).click();
        WebElement refusal = visible(By.id("contract-refusal"));
        assertTrue(refusal.getText().contains("refused"), refusal.getText());
        WebElement refused = driver.findElement(By.id("refused-expectations"));
        assertEquals("keeps_every_row", refused.findElement(By.className("expectation-id")).getText());
        // The refusal says what the new version would measure: the row count after 3 deletions.
        assertTrue(refused.getText().contains("observed " + (rows - 3)), refused.getText());
        assertEquals("ready", driver.findElement(By.id("plan-status")).getText());
        accessibleAndPhotographed("17-plan-refused");
        api().get("/api/v1/ingest/datasets/" + datasetId).then().statusCode(200).body("currentVersion", org.hamcrest.Matchers.equalTo(1));

        // The override asks first; cancelling commits nothing.
        driver.findElement(By.id("commit-override")).click();
        visible(By.id("confirm-override"));
        assertTrue(driver.findElement(By.id("override-area")).getText().contains("keeps_every_row"));
        driver.findElement(By.id("cancel-override")).click();
        await(10).until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm-override")));
        api().get("/api/v1/ingest/datasets/" + datasetId).then().statusCode(200).body("currentVersion", org.hamcrest.Matchers.equalTo(1));
        driver.findElement(By.id("commit-override")).click();
        WebElement confirm = visible(By.id("confirm-override"));
        accessibleAndPhotographed("18-plan-override-confirm");
        confirm.click();
        await(60).until(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-committed"), "v2"));
        WebElement recorded = visible(By.id("plan-override"));
        assertTrue(recorded.getText().contains("keeps_every_row"), recorded.getText());
        accessibleAndPhotographed("19-plan-override-committed");
        api().get("/api/v1/enrichment/plans/" + plan).then().statusCode(200)
                .body("committedVersion", org.hamcrest.Matchers.equalTo(2))
                .body("contractOverride.expectations", org.hamcrest.Matchers.contains("keeps_every_row"));
        // Both commit attempts are in the tenant's audit log — the refused one (422) and the override
        // (200) — under the route's action, and the chain still verifies.
        String auditor = Tenants.key("console", "auditor");
        await(30).until(d -> {
            List<Map<String, Object>> entries = io.restassured.RestAssured.given().baseUri(stack.gateway())
                    .header("X-API-Key", auditor).queryParam("action", "enrichment:plan:commit").queryParam("limit", 100)
                    .get("/api/v1/policy/audit").then().statusCode(200).extract().path("entries");
            List<Object> statuses = entries.stream().filter(e -> String.valueOf(e.get("resource")).endsWith("/plans/" + plan))
                    .map(e -> e.get("status")).toList();
            return statuses.contains(422) && statuses.contains(200);
        });
        io.restassured.RestAssured.given().baseUri(stack.gateway()).header("X-API-Key", auditor)
                .get("/api/v1/policy/audit/verify").then().statusCode(200).body("valid", org.hamcrest.Matchers.equalTo(true));
    }

    static io.restassured.specification.RequestSpecification api() {
        return io.restassured.RestAssured.given().baseUri(stack.gateway()).header("X-API-Key", adminKey);
    }

    static void openDataset() {
        open("#/datasets");
        await(30).until(ExpectedConditions.elementToBeClickable(By.linkText(DATASET))).click();
        heading(DATASET);
    }

    static void setValue(WebElement el, String value) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];"
                + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", el, value);
    }
}
