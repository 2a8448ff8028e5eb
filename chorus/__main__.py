from chorus.cli import main

main()
