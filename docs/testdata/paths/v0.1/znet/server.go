package znet
