using System.CommandLine;
using Cairn.Cli;

var root = new RootCommand("cairn: the Cairn command-line tool.");
root.Subcommands.Add(ProvisionCommand.Create());
return await root.Parse(args).InvokeAsync();
