using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PageHintVerify.Properties.Pictures;

/// <summary>
/// A headless Chromium driven over the Chrome DevTools Protocol on a loopback WebSocket: no package, no network. It is
/// started with a fresh profile and every background connection of its own turned off; it reads the DevTools address
/// from Chromium's stderr, attaches to its one tab and sends commands to it one at a time.
/// </summary>
public sealed class Chromium : IDisposable
{
    /// <summary>How long any one wait may take before the test fails rather than hangs (a deadline, not a measurement).</summary>
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    readonly Process _process;
    readonly string _profile;
    readonly ClientWebSocket _socket = new();
    readonly string _session;
    int _nextId;

    /// <summary>The browser's path, or null when it is not installed (scripts/prereqs.sh installs Debian's chromium).</summary>
    public static string? Find() =>
        new[] { "chromium", "chromium-browser" }
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);

    public Chromium(string executable, int width, int height)
    {
        _profile = Directory.CreateTempSubdirectory("pagehint-chromium-").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[]
                 {
                     "--headless", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", "--no-sandbox",
                     "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
                     "--hide-scrollbars", "--force-device-scale-factor=1", $"--window-size={width},{height}",
                     $"--user-data-dir={_profile}", "about:blank",
                 })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {executable}");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();

        string url = ReadDevToolsUrl();
        using (var cancel = new CancellationTokenSource(Deadline))
            _socket.ConnectAsync(new Uri(url), cancel.Token).GetAwaiter().GetResult();
        var targets = Send("Target.getTargets", new JsonObject(), session: false)["targetInfos"]!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        _session = (string)Send("Target.attachToTarget", new JsonObject { ["targetId"] = (string?)page["targetId"], ["flatten"] = true }, session: false)["sessionId"]!;
        Send("Page.enable");
        Send("Runtime.enable");
    }

    /// <summary>Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" once it listens.</summary>
    string ReadDevToolsUrl()
    {
        var read = Task.Run(() =>
        {
            var seen = new StringBuilder();
            while (_process.StandardError.ReadLine() is { } line)
            {
                seen.AppendLine(line);
                int at = line.IndexOf("ws://", StringComparison.Ordinal);
                if (line.StartsWith("DevTools listening on ", StringComparison.Ordinal) && at >= 0) return line[at..].Trim();
            }
            throw new InvalidOperationException($"chromium exited without a DevTools address:\n{seen}");
        });
        if (!read.Wait(Deadline)) throw new TimeoutException("chromium printed no DevTools address");
        // Keep draining stderr so that Chromium never blocks on a full pipe.
        _ = Task.Run(() => { while (_process.StandardError.ReadLine() is not null) { } });
        return read.Result;
    }

    /// <summary>Sends one command to the tab (or to the browser) and returns its result; a protocol error throws.</summary>
    public JsonNode Send(string method, JsonObject? parameters = null, bool session = true)
    {
        int id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (session) message["sessionId"] = _session;
        using var cancel = new CancellationTokenSource(Deadline);
        _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancel.Token).GetAwaiter().GetResult();
        while (true)
        {
            var reply = Receive(cancel.Token);
            if ((int?)reply["id"] != id) continue; // an event, or nothing we wait for
            if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
            return reply["result"]!;
        }
    }

    JsonNode Receive(CancellationToken cancel)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = _socket.ReceiveAsync(buffer, cancel).GetAwaiter().GetResult();
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("chromium closed the DevTools connection");
            message.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        return JsonNode.Parse(message.ToArray())!;
    }

    /// <summary>Loads a page and waits until its scripts have run (the explorer sets <c>data-step</c> on show).</summary>
    public void Open(string path)
    {
        Send("Page.navigate", new JsonObject { ["url"] = new Uri(path).AbsoluteUri });
        var until = DateTime.UtcNow + Deadline;
        while (Evaluate("document.readyState === 'complete' && location.href") is not JsonValue v || v.GetValueKind() != JsonValueKind.String
               || (string)v! != new Uri(path).AbsoluteUri)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{path} did not load");
            Thread.Sleep(20);
        }
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value; an exception in the page throws.</summary>
    public JsonNode? Evaluate(string expression)
    {
        var result = Send("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } e) throw new InvalidOperationException($"{expression}: {e.ToJsonString()}");
        return result["result"]!["value"];
    }

    public string Text(string selector) => (string)Evaluate($"document.querySelector({JsonSerializer.Serialize(selector)}).textContent")!;

    /// <summary>Presses and releases a key as a user would: the page sees keydown and keyup with this <c>key</c>.</summary>
    public void Press(string key)
    {
        var (code, keyCode) = key switch
        {
            "ArrowDown" => ("ArrowDown", 40), "ArrowUp" => ("ArrowUp", 38), "ArrowRight" => ("ArrowRight", 39),
            "ArrowLeft" => ("ArrowLeft", 37), "Home" => ("Home", 36), "End" => ("End", 35),
            _ => ("Key" + key.ToUpperInvariant(), key.ToUpperInvariant()[0]),
        };
        foreach (var type in new[] { "keyDown", "keyUp" })
            Send("Input.dispatchKeyEvent", new JsonObject
            {
                ["type"] = type, ["key"] = key, ["code"] = code, ["windowsVirtualKeyCode"] = keyCode, ["nativeVirtualKeyCode"] = keyCode,
            });
    }

    /// <summary>Clicks the middle of the first element <paramref name="selector"/> matches.</summary>
    public void Click(string selector)
    {
        var box = Evaluate($"(function(){{var e=document.querySelector({JsonSerializer.Serialize(selector)});e.scrollIntoView({{block:'nearest'}});var r=e.getBoundingClientRect();return [r.x+r.width/2,r.y+r.height/2];}})()")!.AsArray();
        foreach (var type in new[] { "mousePressed", "mouseReleased" })
            Send("Input.dispatchMouseEvent", new JsonObject
            {
                ["type"] = type, ["x"] = (double)box[0]!, ["y"] = (double)box[1]!, ["button"] = "left", ["clickCount"] = 1,
            });
    }

    /// <summary>A PNG of the visible part of the page.</summary>
    public byte[] Screenshot() => Convert.FromBase64String((string)Send("Page.captureScreenshot", new JsonObject { ["format"] = "png" })["data"]!);

    public void Dispose()
    {
        try { _socket.Dispose(); }
        finally
        {
            try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); _process.WaitForExit(10_000); }
            catch (InvalidOperationException) { } // it had already gone
            _process.Dispose();
            try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } // a child may still hold a file
        }
    }
}
