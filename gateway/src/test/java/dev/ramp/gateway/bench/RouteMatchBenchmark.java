package dev.ramp.gateway.bench;

import dev.ramp.gateway.routing.RouteTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route matching against 1 and 10 000 routes, one host each (plus a wildcard and a catch-all), requests
 * spread over every host: the cost must not grow with the number of routes. Run with
 * {@code bash loadtests/bench/jmh.sh RouteMatch} ({@code gc.alloc.rate.norm} must be ~0 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteMatchBenchmark {
    record R(String name, List<String> hosts, String prefix) {}

    @Param({"1", "10000"})
    public int routes;

    private RouteTable<R> table;
    private String[] hosts;
    private int i;

    @Setup
    public void setup() {
        List<R> list = new ArrayList<>();
        hosts = new String[routes];
        for (int k = 0; k < routes; k++) {
            hosts[k] = "svc" + k + ".example.com";
            list.add(new R("r" + k, List.of(hosts[k]), "/api"));
        }
        list.add(new R("wild", List.of("*.example.org"), "/"));
        list.add(new R("root", List.of("*"), "/"));
        table = RouteTable.of(list, R::hosts, R::prefix);
    }

    @Benchmark
    public R match() {
        return table.match(hosts[i++ % hosts.length], "/api/items/42");
    }
}
