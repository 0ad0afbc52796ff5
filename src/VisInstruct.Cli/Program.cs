using VisInstruct.Cli;

return await VisInstructCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
