package dev.ramp.gateway.admin;

import static dev.ramp.gateway.testing.TestBed.admin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.testing.TestBed;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/status for many routes: one route by name, a name prefix, and pages in file order. */
class StatusFilterTest {
    @TempDir
    Path dir;
    private TestBed bed;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        bed = new TestBed(dir);
        gateway = bed.start(bed.gatewayConf("t", bed.route("shop", "/shop", "10%"), bed.route("shop-eu", "/eu", "10%"),
                bed.route("blog", "/blog", "10%"), bed.route("shop-us", "/us", "10%")));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        bed.close();
    }

    private JsonObject status(String query) {
        HttpResponse<String> r = bed.get(admin(gateway, "/api/status" + query));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private static List<String> names(JsonObject status) {
        List<String> out = new ArrayList<>();
        JsonArray routes = status.getJsonArray("routes");
        for (int i = 0; i < routes.size(); i++) {
            out.add(routes.getJsonObject(i).getString("name"));
        }
        return out;
    }

    @Test
    void allRoutesByDefaultWithTheirTotal() {
        JsonObject all = status("");
        assertThat(names(all)).containsExactly("shop", "shop-eu", "blog", "shop-us");
        assertThat(all.getInteger("total")).isEqualTo(4);
    }

    @Test
    void oneRouteByNameAndRoutesByPrefix() {
        assertThat(names(status("?route=shop"))).containsExactly("shop");
        assertThat(names(status("?prefix=shop"))).containsExactly("shop", "shop-eu", "shop-us");
        assertThat(status("?prefix=shop").getInteger("total")).isEqualTo(3);
        assertThat(names(status("?prefix=zzz"))).isEmpty();
    }

    @Test
    void pagesInFileOrder() {
        JsonObject page = status("?prefix=shop&offset=1&limit=1");
        assertThat(names(page)).containsExactly("shop-eu");
        assertThat(page.getInteger("total")).isEqualTo(3);
        assertThat(names(status("?offset=3&limit=10"))).containsExactly("shop-us");
        assertThat(names(status("?offset=9"))).isEmpty();
    }

    @Test
    void badQueriesAreExplained() {
        HttpResponse<String> unknown = bed.get(admin(gateway, "/api/status?route=nope"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no route named nope");
        for (String q : new String[] {"?limit=0", "?limit=1001", "?offset=-1", "?limit=x", "?route=shop&prefix=s"}) {
            HttpResponse<String> bad = bed.get(admin(gateway, "/api/status" + q));
            assertThat(bad.statusCode()).as(q).isEqualTo(400);
            assertThat(new JsonObject(bad.body()).getString("error")).isEqualTo("bad_request");
        }
    }
}
