package dev.ramp.gateway.notify;

import static dev.ramp.gateway.testing.TestBed.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.TestBed;
import dev.ramp.gateway.testing.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload that adds, changes or removes a webhook applies to the next event. */
class NotifyReloadTest {
    private static final String TOKEN = "notify-reload-token-0123";

    @TempDir
    Path dir;
    private TestBed bed;
    private WebhookReceiver hook;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        bed = new TestBed(dir);
        hook = new WebhookReceiver(bed.vertx, n -> WebhookReceiver.Behaviour.OK);
        gateway = bed.start(conf(null));
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        hook.close();
        bed.close();
    }

    private String conf(String events) {
        String c = bed.gatewayConf(TOKEN, bed.route("shop", "/", "10%"));
        return events == null ? c : c.substring(0, c.lastIndexOf('}'))
               + "  notify = [ { url = \"" + hook.url("/ramp") + "\", name = \"team\", events = " + events + " } ]\n}\n";
    }

    private void revertAndResume() {
        assertThat(bed.post(admin(gateway, "/api/routes/shop/revert"), "Authorization", "Bearer " + TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(bed.post(admin(gateway, "/api/routes/shop/resume"), "Authorization", "Bearer " + TOKEN).statusCode())
                .isEqualTo(200);
    }

    @Test
    void webhooksFollowTheConfigServing() {
        revertAndResume(); // no webhook yet

        gateway.reload(bed.config(conf("[\"revert\"]")));
        revertAndResume();
        await().atMost(Duration.ofSeconds(10)).until(() -> hook.delivered().size() == 1);

        gateway.reload(bed.config(conf("[\"revert\", \"resume\"]")));
        revertAndResume();
        await().atMost(Duration.ofSeconds(10)).until(() -> hook.delivered().size() == 3);

        gateway.reload(bed.config(conf(null)));
        revertAndResume();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> hook.requests() == 3);
        assertThat(hook.delivered()).extracting(r -> r.body().getString("type"))
                .containsExactly("revert", "revert", "resume");
    }
}
