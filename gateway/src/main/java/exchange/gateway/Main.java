package exchange.gateway;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The process entry point (the shaded jar's main):
 * {@code [--config FILE] [--port N] [--data-dir DIR]}. Without {@code --config} it runs the
 * embedded demo configuration; the flags override the file. It starts the exchange
 * ({@link ExchangeServer}), prints the admin key and the demo accounts' API keys, and stops
 * cleanly on SIGTERM / Ctrl-C through a shutdown hook (stop HTTP, stop the scheduler, drain the
 * ring). Exit status 2 means bad arguments or configuration, 1 a failed start.
 */
public final class Main {
    static final String USAGE = "usage: exchange [--config FILE] [--port N] [--data-dir DIR]";

    private Main() {
    }

    /** Parsed command line. */
    record Arguments(Path config, Integer port, Path dataDir, boolean help) {
    }

    public static void main(String[] args) {
        Arguments a;
        GatewayConfig config;
        try {
            a = parse(args);
            if (a.help()) {
                System.out.println(USAGE);
                return;
            }
            config = configure(a);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("exchange: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        ExchangeServer server;
        try {
            server = ExchangeServer.start(config);
        } catch (IllegalArgumentException e) {
            // a setting only start-up can check (the environment's admin key): its message names it
            LoggerFactory.getLogger(Main.class).debug("start-up refused", e);
            System.err.println("exchange: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Main.class).error("exchange failed to start", e);
            System.err.println("exchange: failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "exchange-shutdown"));
    }

    /** The configuration the arguments select: the file (or the embedded demo), then the flags. */
    static GatewayConfig configure(Arguments a) throws IOException {
        GatewayConfig config = a.config() != null ? GatewayConfig.load(a.config()) : GatewayConfig.demo();
        if (a.port() != null) {
            config = config.withPort(a.port());
        }
        if (a.dataDir() != null) {
            config = config.withDataDir(a.dataDir());
        }
        return config;
    }

    /** @throws IllegalArgumentException naming the bad argument */
    static Arguments parse(String[] args) {
        Path config = null;
        Integer port = null;
        Path dataDir = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return new Arguments(null, null, null, true);
                }
                case "--config" -> config = Path.of(value(args, ++i, arg));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                case "--port" -> {
                    String v = value(args, ++i, arg);
                    try {
                        port = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port needs a number, got " + v);
                    }
                    if (port < 0 || port > 65_535) {
                        throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        return new Arguments(config, port, dataDir, false);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
