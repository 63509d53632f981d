package dev.ramp.gateway.bench;

import dev.ramp.gateway.routing.Assignment;
import dev.ramp.gateway.routing.RouteTable;
import dev.ramp.gateway.routing.Version;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request routing decision: route match, identity → bucket → version. Run with
 * {@code bash loadtests/bench/jmh.sh} (adds {@code -prof gc}: {@code gc.alloc.rate.norm} must be ~0 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingDecisionBenchmark {
    record R(String name, List<String> hosts, String prefix) {}

    private final String[] ids = new String[1024];
    private RouteTable<R> table;
    private int i;

    @Setup
    public void setup() {
        for (int k = 0; k < ids.length; k++) {
            ids[k] = "user-" + Long.toHexString(k * 0x9E3779B97F4A7C15L);
        }
        table = RouteTable.of(List.of(
                new R("root", List.of("*"), "/"),
                new R("api", List.of("*.example.com"), "/api"),
                new R("shop", List.of("shop.example.com"), "/shop")), R::hosts, R::prefix);
    }

    @Benchmark
    public Version decide() {
        String id = ids[i++ & 1023];
        return Assignment.decide("shop", id, 2500, false, null, Set.of(), Set.of());
    }

    @Benchmark
    public Version matchAndDecide() {
        String id = ids[i++ & 1023];
        R route = table.match("shop.example.com", "/shop/cart");
        return Assignment.decide(route.name(), id, 2500, false, null, Set.of(), Set.of());
    }
}
