#!/usr/bin/env python
from chorus.cli import main

if __name__ == "__main__":
    main()
