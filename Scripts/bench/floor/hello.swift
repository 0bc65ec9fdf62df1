// The floor for startup figures: the least a static Swift program costs to start.
print("hello")
