using System.CommandLine;

namespace Cairn.Cli;

/// <summary>The <c>cairn</c> command-line tool.</summary>
public static class CairnCli
{
    /// <summary>Parses the arguments and runs the command.</summary>
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("cairn: provision and check a Cairn installation")
        {
            ProvisionCommand.Create(),
            VerifyCommand.Create(),
        };
        return await root.Parse(args).InvokeAsync();
    }
}
