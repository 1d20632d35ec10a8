"""`python -m nnviz.digits`: train the shipped digit model (see `nnviz.digits.train`)."""

from nnviz.digits.train import main

main()
