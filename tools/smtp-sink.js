'use strict';

// A loopback SMTP server for tests: accepts any sender and recipient without AUTH, parses each message and writes it
// as one JSON file into --dir (written under a temporary name, then renamed, so readers never see half a file).
// While a file named `refuse` exists in --dir, every RCPT and DATA gets a 451 (a server that is up but failing).
//
//   node smtp-sink.js --port N --dir DIR [--starttls]
//
// --starttls advertises STARTTLS with smtp-server's bundled self-signed test certificate: node's crypto can make a key
// pair but has no API to issue an X.509 certificate, and hand-encoding one is not worth it for a test sink.

const fs = require('node:fs');
const path = require('node:path');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

function parseArguments(argv) {
    const options = { port: 0, dir: null, starttls: false };
    for (let i = 0; i < argv.length; i++) {
        switch (argv[i]) {
            case '--port':
                options.port = Number.parseInt(argv[++i], 10);
                break;
            case '--dir':
                options.dir = argv[++i];
                break;
            case '--starttls':
                options.starttls = true;
                break;
            default:
                throw new Error(`unknown argument ${argv[i]}`);
        }
    }

    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535 || !options.dir) {
        throw new Error('usage: node smtp-sink.js --port N --dir DIR [--starttls]');
    }

    return options;
}

const options = parseArguments(process.argv.slice(2));
fs.mkdirSync(options.dir, { recursive: true });

const refused = () => fs.existsSync(path.join(options.dir, 'refuse'));

function temporaryFailure() {
    const error = new Error('Temporary failure (smtp-sink asked to refuse mail)');
    error.responseCode = 451;
    return error;
}

function addresses(field) {
    // mailparser gives one address object, an array of them (several To headers), or nothing.
    const objects = field ? (Array.isArray(field) ? field : [field]) : [];
    return objects.flatMap(o => o.value).flatMap(a => (a.group ? a.group : [a])).map(a => a.address).filter(Boolean);
}

function headers(headerLines) {
    // Raw values as sent (unfolded, not MIME-decoded), so tests can check both the header and its encoding;
    // repeated headers (Received) are joined by a newline.
    const result = {};
    for (const { key, line } of headerLines) {
        const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
        result[key] = key in result ? `${result[key]}\n${value}` : value;
    }

    return result;
}

let sequence = 0;

async function store(stream, session) {
    const mail = await simpleParser(stream);
    const record = {
        from: addresses(mail.from)[0] ?? null,
        to: addresses(mail.to),
        cc: addresses(mail.cc),
        envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        envelopeTo: session.envelope.rcptTo.map(r => r.address),
        subject: mail.subject ?? null,
        messageId: mail.messageId ?? null,
        headers: headers(mail.headerLines),
        text: mail.text ?? null,
        html: mail.html || null,
        receivedAt: new Date().toISOString(),
    };

    // Names sort in arrival order, across restarts of the sink on the same folder too.
    const name = `${String(Date.now()).padStart(15, '0')}-${String(process.pid).padStart(7, '0')}-${String(++sequence).padStart(6, '0')}`;
    const temporary = path.join(options.dir, `.${name}.tmp`);
    await fs.promises.writeFile(temporary, JSON.stringify(record, null, 2));
    await fs.promises.rename(temporary, path.join(options.dir, `${name}.json`));
}

const server = new SMTPServer({
    name: 'smtp-sink',
    banner: 'smtp-sink ready',
    logger: false,
    authOptional: true,
    disabledCommands: options.starttls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    onRcptTo(address, session, callback) {
        callback(refused() ? temporaryFailure() : null);
    },
    onData(stream, session, callback) {
        if (refused()) {
            // The message must be read to its end before answering.
            stream.on('end', () => callback(temporaryFailure()));
            stream.resume();
            return;
        }

        store(stream, session).then(
            () => callback(),
            error => {
                process.stderr.write(`smtp-sink: could not store a message: ${error.stack}\n`);
                callback(temporaryFailure());
            });
    },
});

server.on('error', error => process.stderr.write(`smtp-sink: ${error.stack}\n`));

server.server.once('error', error => {
    // Listening failed (port taken): say why and leave with a failure code.
    process.stderr.write(`smtp-sink: cannot listen on 127.0.0.1:${options.port}: ${error.message}\n`);
    process.exit(1);
});

server.listen(options.port, '127.0.0.1', () => {
    process.stdout.write(`listening on 127.0.0.1:${server.server.address().port}\n`);
});

let stopping = false;
function stop() {
    if (stopping) {
        return;
    }

    stopping = true;
    // close() stops accepting at once but waits for open sessions; do not let a lingering client hold the exit.
    setTimeout(() => process.exit(0), 2000).unref();
    server.close(() => process.exit(0));
}

process.on('SIGINT', stop);
process.on('SIGTERM', stop);
