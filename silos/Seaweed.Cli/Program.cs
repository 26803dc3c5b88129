using Seaweed.Cli;

return SeaweedCommand.Build().Parse(args).Invoke();
