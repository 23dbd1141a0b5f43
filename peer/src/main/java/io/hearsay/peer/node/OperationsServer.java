package io.hearsay.peer.node;

import com.google.gson.GsonBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP operations endpoint, on its own port like Fabric's: {@code /healthz} (200 when every check
 * passes, 503 listing the failed ones), {@code /metrics} (Prometheus text format, from Micrometer's registry)
 * and {@code /status} (JSON for people and for {@code hearsay verify}). Read-only, no TLS: bind it to loopback
 * or an operations network.
 */
public final class OperationsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperationsServer.class);

    /** The health checks' outcome: check name → null when it passes, else why it fails. */
    public interface Health {
        Map<String, String> failures();
    }

    private final HttpServer server;
    private final ExecutorService executor;

    public OperationsServer(InetSocketAddress address, PrometheusMeterRegistry registry, Health health,
            Supplier<Object> status) {
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for operations on " + address + ": " + e.getMessage(), e);
        }
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "operations-" + address.getPort());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        var gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        server.createContext("/healthz", exchange -> {
            Map<String, String> failures = health.failures();
            String body = failures.isEmpty() ? "{\"status\":\"OK\"}"
                    : gson.toJson(Map.of("status", "Service Unavailable", "failed_checks", failures));
            reply(exchange, failures.isEmpty() ? 200 : 503, "application/json", body);
        });
        server.createContext("/metrics", exchange ->
                reply(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/status", exchange -> reply(exchange, 200, "application/json", gson.toJson(status.get())));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (RuntimeException e) {
            LOG.warn("operations request {} failed: {}", exchange.getRequestURI(), e.toString());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
