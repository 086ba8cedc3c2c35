package io.puraifi.enginecontrol;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.puraifi.enginecontrol.EngineControlClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator console in a real browser: Debian's chromium, headless, driven by Selenium
 * over real HTTP. Disabled (skipped) where {@code /usr/bin/chromium} is missing
 * ({@code .ci/run} installs it). Each page is checked with axe-core (no serious or
 * critical violation) and photographed at 1280x800 and 400x800 under
 * {@code target/console-screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "browserInstalled", disabledReason = "chromium and chromium-driver are not installed")
class ConsoleBrowserIntegrationTests {

	private static final String ADMIN_KEY = "console-browser-admin-key-0123456789abcdef";

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

	private static final String HOSTILE = "<img src=x onerror=\"window.__pwned=1\">";

	private static final List<String> PAGES = List.of("overview", "engines", "platforms", "kill-switches", "quotas",
			"decisions", "events", "audit");

	private static final AtomicInteger names = new AtomicInteger();

	// Made here, not by @TempDir: with one test instance per class, Spring starts the
	// context before JUnit fills static @TempDir fields.
	private static final Path dataDir = temporaryDirectory();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("engine-control.data-dir", () -> dataDir.toString());
		registry.add("engine-control.bootstrap-admin-key", () -> ADMIN_KEY);
	}

	@LocalServerPort
	int port;

	ChromeDriver driver;

	EngineControlClient admin;

	String axe;

	static boolean browserInstalled() {
		return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
	}

	@BeforeAll
	void startBrowser(@TempDir Path browserProfile) throws IOException {
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1280,800", "--user-data-dir=" + browserProfile.toAbsolutePath());
		this.driver = new ChromeDriver(service, options);
		this.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
		try (InputStream in = getClass().getResourceAsStream("/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
			assertThat(in).as("axe-core webjar").isNotNull();
			this.axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Files.createDirectories(SCREENSHOTS);
	}

	@AfterAll
	void stopBrowser() {
		if (this.driver != null) {
			this.driver.quit();
		}
	}

	@BeforeEach
	void signedOut() {
		this.admin = new EngineControlClient(this.port, "admin", ADMIN_KEY);
		viewport(1280, 800);
		// A page of the console's origin that runs no script, so nothing writes
		// meanwhile.
		this.driver.get(url("/console/console.css"));
		this.driver.executeScript("sessionStorage.clear()");
		this.driver.get(url("/console"));
	}

	@AfterEach
	void resetSwitchesAndPlatforms() {
		if (this.admin == null) {
			return;
		}
		for (JsonNode flag : this.admin.get("/admin/flags").json().get("flags")) {
			this.admin.send("DELETE", "/admin/flags/" + flag.get("name").asString(), null);
		}
		for (JsonNode quota : this.admin.get("/admin/quotas").json().get("quotas")) {
			this.admin.send("DELETE", "/admin/quotas/" + quota.get("name").asString(), null);
		}
		for (String platform : List.of("gmail", "slack")) {
			for (JsonNode window : this.admin.get("/admin/platforms/" + platform + "/maintenance-windows")
				.json()
				.get("maintenance_windows")) {
				this.admin.send("DELETE",
						"/admin/platforms/" + platform + "/maintenance-windows/" + window.get("id").asString(), null);
			}
			this.admin.put("/admin/platforms/" + platform + "/status", "{\"status\":\"available\"}");
		}
	}

	@Test
	void operatorRegistersAnEngineFlipsASwitchPutsAPlatformIntoMaintenanceAndFindsBothInTheConsole() {
		signIn("admin", ADMIN_KEY);
		assertThat(this.driver.manage().getCookies()).isEmpty();
		assertThat(this.driver.getCurrentUrl()).doesNotContain(ADMIN_KEY);

		// Register an engine; its key is shown once, and it works over HTTP.
		String engineId = "nightly-" + names.incrementAndGet();
		open("engines");
		WebElement form = this.driver.findElement(By.id("register-form"));
		form.findElement(By.name("engine_id")).sendKeys(engineId);
		form.findElement(By.name("description")).sendKeys("Sends the nightly digest");
		capability(form, "gmail", "send_email").click();
		capability(form, "slack", "post_message").click();
		capability(form, "notion", "create_page").click();
		form.findElement(By.cssSelector("button[type=submit]")).click();
		String key = waitFor(By.cssSelector("#register-result .secret-value")).getText();
		assertThat(key).startsWith("ec_");
		assertThat(this.driver.findElement(By.cssSelector("#register-result")).getText()).contains("Copy");
		EngineControlClient engine = this.admin.as(engineId, key);
		assertThat(check(engine, "gmail", "send_email").get("allowed").asBoolean()).isTrue();

		// Flip the action's kill switch, confirming what it denies: the engine's check is
		// denied.
		open("kill-switches");
		this.driver.findElement(By.cssSelector("button[aria-label='Turn off action.gmail.send_email']")).click();
		WebElement dialog = waitFor(By.id("confirm"));
		assertThat(this.driver.findElement(By.id("confirm-text")).getText()).contains("action.gmail.send_email")
			.contains("send_email on gmail, for every engine");
		this.driver.findElement(By.id("confirm-yes")).click();
		new WebDriverWait(this.driver, Duration.ofSeconds(10)).until(ExpectedConditions.invisibilityOf(dialog));
		waitForText(By.cssSelector("tr[data-flag='action.gmail.send_email'] .badge"), "off");
		JsonNode denied = eventually(() -> check(engine, "gmail", "send_email"),
				(answer) -> !answer.get("allowed").asBoolean());
		assertThat(denied.get("reason").asString()).isEqualTo("FLAG_DISABLED");

		// Put slack into maintenance, confirming: the engine's slack check is denied.
		open("platforms");
		WebElement slack = this.driver.findElement(By.cssSelector("form.platform-status[data-platform='slack']"));
		new Select(slack.findElement(By.name("status"))).selectByValue("maintenance");
		slack.findElement(By.name("message")).clear();
		slack.findElement(By.name("message")).sendKeys("Upgrading the connector");
		slack.findElement(By.cssSelector("button[type=submit]")).click();
		waitFor(By.id("confirm"));
		assertThat(this.driver.findElement(By.id("confirm-text")).getText()).contains("slack", "denied");
		this.driver.findElement(By.id("confirm-yes")).click();
		waitForText(By.id("status"), "slack is now maintenance");
		JsonNode maintenance = eventually(() -> check(engine, "slack", "post_message"),
				(answer) -> !answer.get("allowed").asBoolean());
		assertThat(maintenance.get("reason").asString()).isEqualTo("PLATFORM_MAINTENANCE");
		// A maintenance window for gmail, scheduled with the form's defaults (in an hour,
		// for an hour).
		WebElement window = waitFor(By.cssSelector("form.maintenance-window[data-platform='gmail']"));
		window.findElement(By.name("window_message")).sendKeys("Quarterly migration");
		window.findElement(By.cssSelector("button[type=submit]")).click();
		waitForText(By.id("page-body"), "Quarterly migration");
		JsonNode windows = this.admin.get("/admin/platforms/gmail/maintenance-windows")
			.json()
			.get("maintenance_windows");
		assertThat(windows).hasSize(1);
		assertThat(windows.get(0).get("state").asString()).isEqualTo("scheduled");
		open("overview");
		assertThat(this.driver.findElement(By.id("page-body")).getText()).contains("maintenance",
				"Upgrading the connector", "action.gmail.send_email");

		// The denied decision is on the decisions page.
		open("decisions");
		WebElement filters = this.driver.findElement(By.cssSelector("#page-body form"));
		filters.findElement(By.name("engine_id")).sendKeys(engineId);
		filters.findElement(By.name("reason")).sendKeys("FLAG_DISABLED");
		String rows = decisionRows(filters, "reason=FLAG_DISABLED");
		assertThat(rows).doesNotContain("PLATFORM_MAINTENANCE");
		assertThat(rows).contains(engineId, "gmail · send_email", "denied", "FLAG_DISABLED",
				"switch action.gmail.send_email");

		// Both changes are in the audit trail, with who made them.
		open("audit");
		String trail = this.driver.findElement(By.id("page-body")).getText();
		assertThat(trail).contains("action.gmail.send_email", "slack", "admin", "maintenance");
		assertThat(this.driver.findElements(By.cssSelector("tr[data-action]"))).hasSizeGreaterThanOrEqualTo(3);

		// The engine's page: keys with last use; a rotation shows the new key once, and
		// it works.
		open("engines");
		this.driver.findElement(By.cssSelector("button[aria-label='Open " + engineId + "']")).click();
		WebElement keys = waitFor(By.cssSelector("#engine-detail[data-ready='true']"));
		assertThat(keys.getText()).containsIgnoringCase("last used").doesNotContain("never");
		keys.findElement(By.id("rotate-key")).click();
		waitFor(By.id("confirm"));
		this.driver.findElement(By.id("confirm-yes")).click();
		String rotated = waitFor(By.cssSelector("#engine-detail .secret-value")).getText();
		assertThat(rotated).startsWith("ec_").isNotEqualTo(key);
		new WebDriverWait(this.driver, Duration.ofSeconds(10))
			.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#engine-detail tbody tr"), 2));
		assertThat(this.admin.as(engineId, rotated)
			.post("/actions/check", "{\"platform\":\"notion\",\"action_type\":\"create_page\"}")
			.status()).isEqualTo(200);
		screenshot("engine-detail-1280x800");

		// A quota rule for the engine, written through the console's form.
		open("quotas");
		WebElement quota = this.driver.findElement(By.id("quota-form"));
		quota.findElement(By.name("quota_name")).sendKeys(engineId + "-pages");
		quota.findElement(By.name("quota_engine")).sendKeys(engineId);
		quota.findElement(By.name("quota_platform")).sendKeys("notion");
		quota.findElement(By.name("quota_action")).clear();
		quota.findElement(By.name("quota_action")).sendKeys("create_page");
		quota.findElement(By.name("quota_max")).clear();
		quota.findElement(By.name("quota_max")).sendKeys("50");
		quota.findElement(By.cssSelector("button[type=submit]")).click();
		waitForText(By.id("page-body"), engineId + "-pages");
		JsonNode rule = this.admin.get("/admin/quotas/" + engineId + "-pages").json();
		assertThat(rule.get("limits").get(0).get("max").asLong()).isEqualTo(50);
		assertThat(rule.get("mode").asString()).isEqualTo("enforce");
		// Request budgets show the tokens left on this replica, of the burst.
		waitForText(By.id("page-body"), "of 2000 left; 1000/s");

		// Decisions per minute: the overview samples the replica's counters; more checks,
		// one
		// more sample, and the chart and top reasons show them.
		open("overview");
		for (int i = 0; i < 5; i++) {
			assertThat(check(engine, "notion", "create_page").get("allowed").asBoolean()).isTrue();
		}
		for (int i = 0; i < 3; i++) {
			check(engine, "outlook", "send_email");
		}
		this.driver.findElement(By.id("sample-now")).click();
		waitForText(By.id("page-body"), "ACTION_NOT_GRANTED");

		// Every page, with this real data: no serious accessibility violation, and a
		// photograph.
		for (String page : PAGES) {
			open(page);
			assertThat(seriousViolations()).as("axe on " + page).isEmpty();
			screenshot(page + "-1280x800");
		}
		viewport(400, 800);
		for (String page : PAGES) {
			open(page);
			assertThat(seriousViolations()).as("axe on " + page + " at 400 px").isEmpty();
			screenshot(page + "-400x800");
		}
	}

	@Test
	void shadowKillSwitchDeniesNothingAndItsDecisionIsFoundWithTheShadowFilter() {
		String engineId = "shadowed-" + names.incrementAndGet();
		EngineControlClient engine = this.admin.as(engineId, register(engineId, "Reads mail"));
		signIn("admin", ADMIN_KEY);
		open("kill-switches");
		this.driver.findElement(By.cssSelector("button[aria-label='Shadow engine." + engineId + "']")).click();
		assertThat(waitFor(By.id("confirm-text")).getText()).contains("deny nothing",
				"every action of engine " + engineId);
		this.driver.findElement(By.id("confirm-yes")).click();
		waitForText(By.cssSelector("tr[data-flag='engine." + engineId + "'] .badge"), "shadow");
		JsonNode answer = eventually(() -> check(engine, "gmail", "send_email"), (a) -> a.has("shadow"));
		assertThat(answer.get("allowed").asBoolean()).isTrue();
		open("decisions");
		WebElement filters = this.driver.findElement(By.cssSelector("#page-body form"));
		filters.findElement(By.name("engine_id")).sendKeys(engineId);
		filters.findElement(By.name("shadow")).click();
		assertThat(decisionRows(filters, "shadow=true")).contains("allowed",
				"shadow flag:engine." + engineId + ": FLAG_DISABLED");
	}

	@Test
	void signInAndNavigationWorkFromTheKeyboardAlone() {
		WebElement id = waitFor(By.id("signin-id"));
		id.clear();
		id.sendKeys("admin", Keys.TAB);
		assertThat(this.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("signin-key");
		this.driver.switchTo().activeElement().sendKeys(ADMIN_KEY, Keys.ENTER);
		waitForPage("overview");
		String focused = "";
		for (int i = 0; i < 10 && !focused.equals("Engines"); i++) {
			this.driver.switchTo().activeElement().sendKeys(Keys.TAB);
			focused = this.driver.switchTo().activeElement().getText();
		}
		assertThat(focused).isEqualTo("Engines");
		this.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
		waitForPage("engines");
	}

	@Test
	void signOutForgetsTheKey() {
		signIn("admin", ADMIN_KEY);
		assertThat(sessionStorageText()).contains(ADMIN_KEY);
		this.driver.findElement(By.id("signout")).click();
		waitFor(By.id("signin-form"));
		assertThat(this.driver.executeScript("return sessionStorage.length")).isEqualTo(0L);
		this.driver.get(url("/console#/engines"));
		assertThat(waitFor(By.id("signin-form")).isDisplayed()).isTrue();
		assertThat(this.driver.findElement(By.id("page")).isDisplayed()).isFalse();
	}

	@Test
	void ordinaryEnginesKeyIsRefusedWithAClearMessage() {
		String engineId = "plain-" + names.incrementAndGet();
		String key = register(engineId, "An ordinary engine");
		this.driver.findElement(By.id("signin-id")).clear();
		this.driver.findElement(By.id("signin-id")).sendKeys(engineId);
		this.driver.findElement(By.id("signin-key")).sendKeys(key);
		this.driver.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
		WebElement error = waitFor(By.cssSelector("#signin-error .problem"));
		assertThat(error.getText()).contains("Not the operator", engineId + "\" is an ordinary engine",
				"operator's key");
		assertThat(this.driver.executeScript("return sessionStorage.length")).isEqualTo(0L);
		screenshot("signin-refused");
	}

	@Test
	void apiErrorIsShownAsTheProblemsTitleAndDetail() {
		String engineId = "twice-" + names.incrementAndGet();
		register(engineId, "Registered before");
		Response again = this.admin.post("/engines/register",
				"{\"engine_id\":\"" + engineId + "\",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(again.status()).isEqualTo(409);
		signIn("admin", ADMIN_KEY);
		open("engines");
		WebElement form = this.driver.findElement(By.id("register-form"));
		form.findElement(By.name("engine_id")).sendKeys(engineId);
		capability(form, "gmail", "send_email").click();
		form.findElement(By.cssSelector("button[type=submit]")).click();
		WebElement problem = waitFor(By.cssSelector("#register-form .problem"));
		assertThat(problem.findElement(By.className("problem-title")).getText())
			.isEqualTo(again.json().get("title").asString());
		assertThat(problem.findElement(By.className("problem-detail")).getText())
			.isEqualTo(again.json().get("detail").asString());
		assertThat(this.driver.findElements(By.cssSelector("#register-result .secret-value"))).isEmpty();
	}

	@Test
	void hostileDescriptionAndEventMessageShowAsTextAndNothingRuns() {
		String engineId = "hostile-" + names.incrementAndGet();
		String key = register(engineId, HOSTILE);
		Response event = this.admin.as(engineId, key)
			.post("/log/engine_event", "{\"level\":\"warn\",\"event_type\":\"digest.failed\",\"message\":"
					+ "\"<img src=x onerror=\\\"window.__pwned=1\\\">\"}");
		assertThat(event.status()).as(event.body()).isEqualTo(202);
		signIn("admin", ADMIN_KEY);
		open("engines");
		assertThat(this.driver.findElement(By.id("page-body")).getText()).contains(HOSTILE);
		open("events");
		WebElement message = this.driver.findElement(By.cssSelector("td.event-message"));
		assertThat(message.getText()).isEqualTo(HOSTILE);
		assertThat(this.driver.findElements(By.cssSelector("#page img"))).isEmpty();
		assertThat(this.driver.executeScript("return window.__pwned === undefined")).isEqualTo(true);
	}

	/**
	 * Submits the decision filters until rows answer them (the recorder stores decisions
	 * in the background), and returns the rows' text, read in one go.
	 */
	private String decisionRows(WebElement filters, String query) {
		return eventually(() -> {
			filters.findElement(By.cssSelector("button[type=submit]")).click();
			new WebDriverWait(this.driver, Duration.ofSeconds(10)).until(ExpectedConditions
				.presenceOfElementLocated(By.cssSelector("#decision-results[data-query*='" + query + "']")));
			return (String) this.driver.executeScript("return [...document.querySelectorAll("
					+ "'#decision-results tr[data-decision]')].map((row) => row.innerText).join('\\n')");
		}, (text) -> !text.isEmpty());
	}

	private String register(String engineId, String description) {
		Response registered = this.admin.post("/engines/register", "{\"engine_id\":\"" + engineId
				+ "\",\"description\":" + jsonString(description) + ",\"capabilities\":{\"gmail\":[\"send_email\"]}}");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		return registered.json().get("engine_key").asString();
	}

	private static String jsonString(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	private void signIn(String engineId, String key) {
		WebElement id = waitFor(By.id("signin-id"));
		id.clear();
		id.sendKeys(engineId);
		this.driver.findElement(By.id("signin-key")).sendKeys(key);
		this.driver.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
		waitForPage("overview");
	}

	private void open(String page) {
		this.driver.get(url("/console#/" + page));
		this.driver.navigate().refresh();
		waitForPage(page);
	}

	private void waitForPage(String page) {
		new WebDriverWait(this.driver, Duration.ofSeconds(20)).until(ExpectedConditions
			.presenceOfElementLocated(By.cssSelector("#page-body[data-page='" + page + "'][aria-busy='false']")));
	}

	/** The page's own size, whatever the window's frame takes. */
	private void viewport(int width, int height) {
		this.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
	}

	private void waitForText(By by, String text) {
		new WebDriverWait(this.driver, Duration.ofSeconds(10))
			.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
	}

	private WebElement waitFor(By by) {
		return new WebDriverWait(this.driver, Duration.ofSeconds(10))
			.until(ExpectedConditions.visibilityOfElementLocated(by));
	}

	private WebElement capability(WebElement form, String platform, String action) {
		return form
			.findElement(By.cssSelector("input[data-platform='" + platform + "'][data-action='" + action + "']"));
	}

	private String sessionStorageText() {
		return String.valueOf(this.driver.executeScript("return JSON.stringify(sessionStorage)"));
	}

	private JsonNode check(EngineControlClient engine, String platform, String action) {
		Response answer = engine.post("/actions/check",
				"{\"platform\":\"" + platform + "\",\"action_type\":\"" + action + "\"}");
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.json();
	}

	private static <T> T eventually(java.util.function.Supplier<T> probe, java.util.function.Predicate<T> done) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		T value = probe.get();
		while (!done.test(value) && System.nanoTime() < deadline) {
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			value = probe.get();
		}
		assertThat(done.test(value)).as("still %s", value).isTrue();
		return value;
	}

	@SuppressWarnings("unchecked")
	private List<String> seriousViolations() {
		((JavascriptExecutor) this.driver).executeScript(this.axe);
		Object result = ((JavascriptExecutor) this.driver).executeAsyncScript(
				"""
						const done = arguments[arguments.length - 1];
						axe.run(document, { resultTypes: ['violations'] }).then((r) => done(r.violations
						  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
						  .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(', '))));""");
		return (List<String>) result;
	}

	private void screenshot(String name) {
		File shot = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.FILE);
		try {
			Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path temporaryDirectory() {
		try {
			Path dir = Files.createTempDirectory("console-browser-tests");
			dir.toFile().deleteOnExit();
			return dir;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
