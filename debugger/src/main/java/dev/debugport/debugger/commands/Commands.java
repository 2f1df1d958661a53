package dev.debugport.debugger.commands;

/** Every command of the debugger. */
public final class Commands {
    private Commands() {
    }

    public static CommandRegistry all() {
        return new CommandRegistry()
                .register(new ExecutionCommands())
                .register(new BreakpointCommands())
                .register(new RegisterCommand())
                .register(new DisplayMemoryCommand())
                .register(new EnterMemoryCommand())
                .register(new SearchMemoryCommand())
                .register(new SymbolCommands())
                .register(new ThreadProcessCommands())
                .register(new StackCommand())
                .register(new DisassembleCommand())
                .register(new EventFilterCommands())
                .register(new TargetCommands())
                .register(new InspectionCommands())
                .register(new LogCommands())
                .register(new EvaluateCommand())
                .register(new QuitCommands());
    }
}
