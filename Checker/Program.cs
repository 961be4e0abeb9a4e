using PageHintVerify.Checker.Cli;

return CommandLine.Run(args, Console.Out, Console.Error);
