using PageHintVerify.Model;

namespace PageHintVerify.Properties;

/// <summary>Reads the page and operation texts the test tables are written in; a typo in a table fails loudly.</summary>
static class TableText
{
    public static PageState Page(string text) =>
        PageState.TryParse(text, out var p) ? p : throw new FormatException($"bad page '{text}' in a test table");

    public static PageOp Op(string text) =>
        PageOp.TryParse(text, out var op) ? op : throw new FormatException($"bad operation '{text}' in a test table");
}
