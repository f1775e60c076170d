package dev.mbus.sample;

import static dev.mbus.sample.SampleTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mbus.core.engine.IncomingCommand;
import dev.mbus.core.engine.MbusEntity;
import dev.mbus.core.message.Address;
import dev.mbus.core.message.Command;
import dev.mbus.core.message.MbusValue;
import dev.mbus.spring.test.EmbeddedMbus;
import dev.mbus.spring.test.MbusTestBus;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The page in a real browser: Debian's headless Chromium driven through chromedriver (both
 * installed by {@code .ci/run}). It sees a peer join, sends it a command through the form, and
 * shows the messages as they come and go. Everything stays on localhost and the test's private bus.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@EmbeddedMbus
class SamplePageBrowserTests {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Address PLAYER = Address.parse("(app:sample-player)");
    /** Held, so that its level stays: Selenium warns that it has no DevTools for this Chromium; WebDriver is all we use. */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    @Autowired
    MbusTestBus bus;

    @LocalServerPort
    int port;

    @TempDir
    Path profile;

    WebDriver browser;
    WebDriverWait wait;
    MbusEntity peer;
    final List<IncomingCommand> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void chromiumIsInstalled() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser test skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing; "
                        + "install them with 'apt-get install chromium chromium-driver' (.ci/run does)");
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    @BeforeEach
    void openThePage() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--user-data-dir=" + profile.toAbsolutePath());
        // The driver is named, so Selenium Manager never looks for (or downloads) one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
        browser.get("http://localhost:" + port + "/");
    }

    @AfterEach
    void close() {
        if (peer != null) {
            peer.close();
        }
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void showsPeersSendsCommandsAndListsMessages() throws Exception {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("self"), "app:sample-player"));

        // A peer joins: the page lists it.
        peer = bus.startEntity("(app:browser-peer)");
        peer.subscribe("demo.*", received::add);
        peer.awaitPeer(PLAYER, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("peers"), "app:browser-peer"));

        // The form sends it a command, reliably.
        fill("destination", "(app:browser-peer)");
        fill("command", "demo.greet");
        fill("args", "(\"hello from the page\" 7)");
        new Select(browser.findElement(By.id("mode"))).selectByValue("RELIABLE");
        browser.findElement(By.id("send")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("send-result"),
                "acknowledged: demo.greet (\"hello from the page\" 7)"));
        await().atMost(WAIT).until(() -> !received.isEmpty());
        assertThat(received.get(0).command().args()).extracting(MbusValue::toJava)
                .containsExactly("hello from the page", 7L);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"),
                "demo.greet (\"hello from the page\" 7)"));

        // What the player receives shows up in the list, rejected commands with the reason.
        peer.sendReliable(PLAYER, Command.of("player.volume", 33)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        peer.sendReliable(PLAYER, Command.of("player.volume", 333)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "player.volume (33)"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("player"), "volume 33"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "volume must be 0 to 100"));

        // A mistake in the form is explained.
        fill("args", "(42");
        browser.findElement(By.id("send")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("send-result"), "class", "error"));
        assertThat(browser.findElement(By.id("send-result")).getText()).startsWith("arguments: ");

        // The peer leaves: the page forgets it.
        peer.close();
        wait.until(ExpectedConditions.not(
                ExpectedConditions.textToBePresentInElementLocated(By.id("peers"), "app:browser-peer")));
    }

    private void fill(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }
}
